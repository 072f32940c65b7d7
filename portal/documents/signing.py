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
    crypto = _pades()
    folder.mkdir(parents=True, exist_ok=True)
    key = crypto.rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = crypto.x509.Name(
        [
            crypto.x509.NameAttribute(crypto.NameOID.COUNTRY_NAME, "CN"),
            crypto.x509.NameAttribute(crypto.NameOID.ORGANIZATION_NAME, "忻州市科学技术局"),
            crypto.x509.NameAttribute(crypto.NameOID.COMMON_NAME, DEV_COMMON_NAME),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        crypto.x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(crypto.x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(crypto.x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            crypto.x509.KeyUsage(
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
        .sign(key, crypto.hashes.SHA256())
    )
    pem = key.private_bytes(
        crypto.serialization.Encoding.PEM,
        crypto.serialization.PrivateFormat.PKCS8,
        crypto.serialization.NoEncryption(),
    ) + certificate.public_bytes(crypto.serialization.Encoding.PEM)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".dev-signing-")
    with os.fdopen(handle, "wb") as out:
        out.write(pem)
    os.chmod(temporary, 0o600)
    if bundle.exists():  # made by another process meanwhile: keep theirs
        os.unlink(temporary)
    else:
        os.replace(temporary, bundle)
    return bundle


def _pades():
    """pyHanko's and cryptography's names (portal.documents.pades)."""
    # Imported when first used: pyHanko takes seconds to import, which every process would pay at start.
    from portal.documents import pades

    return pades


@lru_cache(maxsize=4)
def _load(pkcs12: str, key: str, cert: str, passphrase: str, dev_dir: str) -> SigningIdentity:
    signers = _pades().signers
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
    pades = _pades()
    meta = pades.signers.PdfSignatureMetadata(
        field_name="BureauSignature",
        md_algorithm="sha256",
        subfilter=pades.fields.SigSeedSubFilter.PADES,
        reason=reason,
        location="忻州市",
    )
    writer = pades.IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = pades.signers.sign_pdf(writer, meta, signer=identity().signer)
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
    pades = _pades()
    try:
        reader = pades.PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # not a PDF, or broken beyond reading: simply not a valid signed copy
        return SignatureCheck(False, False, False, False)
    if not signatures:
        return SignatureCheck(False, False, False, False)
    bureau = identity().certificate
    signature = signatures[-1]
    try:
        status = pades.validate_pdf_signature(signature, pades.ValidationContext(trust_roots=[bureau]))
    except Exception:
        return SignatureCheck(True, False, False, False)
    signer_cert = status.signing_cert
    return SignatureCheck(
        present=True,
        intact=bool(status.intact and status.valid),
        covers_whole_file=status.coverage == pades.SignatureCoverageLevel.ENTIRE_FILE,
        trusted=bool(status.trusted) and signer_cert is not None and signer_cert.dump() == bureau.dump(),
        signer=signer_cert.subject.human_friendly if signer_cert is not None else "",
    )
