"""The bureau's digital signature on issued documents (PAdES B-B, pyHanko) and its check.

The key and certificate come from the environment (README "Signing certificate"):
  DOCUMENT_SIGNING_PKCS12 + DOCUMENT_SIGNING_PASSPHRASE   a PKCS#12 (.p12/.pfx) file, or
  DOCUMENT_SIGNING_KEY + DOCUMENT_SIGNING_CERT (+ DOCUMENT_SIGNING_PASSPHRASE)   PEM files.
Without them the portal signs with a throw-away development key it makes on first use in
DOCUMENT_SIGNING_DEV_DIR (git-ignored): every document so signed says so on its page and on the
verification page, and `manage.py check --deploy` warns.
"""

import datetime
import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

DEV_BUNDLE = "dev-signing.pem"
DEV_COMMON_NAME = "开发用临时证书（无法律效力）"  # at most 64 bytes


@dataclass(frozen=True)
class SigningIdentity:
    signer: object  # pyhanko SimpleSigner
    certificate: object  # asn1crypto x509.Certificate
    is_development: bool

    @property
    def subject(self) -> str:
        return self.certificate.subject.human_friendly


def _configured() -> bool:
    return bool(settings.DOCUMENT_SIGNING_PKCS12 or settings.DOCUMENT_SIGNING_KEY)


def is_development_key() -> bool:
    return not _configured()


def dev_key_ensure() -> Path:
    """Make the development key + self-signed certificate once (one PEM file written atomically, so
    two processes starting at once never pair a key with another's certificate)."""
    folder = Path(settings.DOCUMENT_SIGNING_DEV_DIR)
    bundle = folder / DEV_BUNDLE
    if bundle.exists():
        return bundle
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "忻州市科学技术局"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEV_COMMON_NAME),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ) + certificate.public_bytes(serialization.Encoding.PEM)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".dev-signing-")
    with os.fdopen(handle, "wb") as out:
        out.write(pem)
    os.chmod(temporary, 0o600)
    if bundle.exists():  # made by another process meanwhile: keep theirs
        os.unlink(temporary)
    else:
        os.replace(temporary, bundle)
    return bundle


@lru_cache(maxsize=4)
def _load(pkcs12: str, key: str, cert: str, passphrase: str, dev_dir: str) -> SigningIdentity:
    # Imported when first used: pyHanko takes seconds to import, which every process would pay at start.
    from pyhanko.sign import signers

    secret = passphrase.encode() if passphrase else None
    if pkcs12:
        signer = signers.SimpleSigner.load_pkcs12(pkcs12, passphrase=secret)
    elif key:
        signer = signers.SimpleSigner.load(key, cert, key_passphrase=secret)
    else:
        bundle = str(dev_key_ensure())
        signer = signers.SimpleSigner.load(bundle, bundle)
    if signer is None:
        raise RuntimeError("文件签名证书无法读取：请检查 DOCUMENT_SIGNING_* 设置与口令。")
    return SigningIdentity(signer, signer.signing_cert, is_development=not (pkcs12 or key))


def identity() -> SigningIdentity:
    return _load(
        settings.DOCUMENT_SIGNING_PKCS12,
        settings.DOCUMENT_SIGNING_KEY,
        settings.DOCUMENT_SIGNING_CERT,
        settings.DOCUMENT_SIGNING_PASSPHRASE,
        str(settings.DOCUMENT_SIGNING_DEV_DIR),
    )


def sign_pdf(pdf: bytes, *, reason: str = "忻州市科学技术局出具") -> bytes:
    """The PDF with the bureau's PAdES signature (B-B: the signing certificate in the CMS, the whole
    file covered)."""
    # Imported when first used: pyHanko takes seconds to import, which every process would pay at start.
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name="BureauSignature",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location="忻州市",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.sign_pdf(writer, meta, signer=identity().signer)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    present: bool
    intact: bool  # the signed bytes are unchanged
    covers_whole_file: bool  # nothing was appended after signing
    trusted: bool  # signed by the bureau's configured certificate
    signer: str = ""

    @property
    def ok(self) -> bool:
        return self.present and self.intact and self.covers_whole_file and self.trusted


def check_signature(data: bytes) -> SignatureCheck:
    """Whether `data` carries an intact signature by the bureau's certificate over the whole file."""
    # Imported when first used: pyHanko takes seconds to import, which every process would pay at start.
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # not a PDF, or broken beyond reading: simply not a valid signed copy
        return SignatureCheck(False, False, False, False)
    if not signatures:
        return SignatureCheck(False, False, False, False)
    bureau = identity().certificate
    signature = signatures[-1]
    try:
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[bureau]))
    except Exception:
        return SignatureCheck(True, False, False, False)
    signer_cert = status.signing_cert
    return SignatureCheck(
        present=True,
        intact=bool(status.intact and status.valid),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        trusted=bool(status.trusted) and signer_cert is not None and signer_cert.dump() == bureau.dump(),
        signer=signer_cert.subject.human_friendly if signer_cert is not None else "",
    )
