"""pyHanko, which signs (PAdES) and validates the issued documents, and the cryptography that makes
the development key: the names portal.documents.signing uses, in one module that it imports on first
use, because these libraries take seconds to import and every process (web, worker, manage.py)
would otherwise pay that at start."""

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

__all__ = [
    "IncrementalPdfFileWriter",
    "NameOID",
    "PdfFileReader",
    "SignatureCoverageLevel",
    "ValidationContext",
    "fields",
    "hashes",
    "rsa",
    "serialization",
    "signers",
    "validate_pdf_signature",
    "x509",
]
