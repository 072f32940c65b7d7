"""Anyone can verify an issued document (no login): by the short code printed on it (the QR code
leads here), or by uploading a copy, which is matched by its SHA-256 against the issued files and
its digital signature checked. A changed copy matches no issued file and its signature fails."""

import hashlib
import re
from dataclasses import dataclass

from portal.documents.models import CODE_ALPHABET, CODE_LENGTH, IssuedDocument
from portal.documents.signing import SignatureCheck, check_signature

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def normalise_code(text: str) -> str:
    """What a person typed (lower case, spaces, the dash of ABCDE-FGHJK) as the stored code."""
    return re.sub(r"[\s\-－—]", "", text or "").upper()


def code_is_well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def document_by_code(code: str) -> IssuedDocument | None:
    code = normalise_code(code)
    if not code_is_well_formed(code):
        return None
    return (
        IssuedDocument.objects.select_related("issued_by__organisation", "replaced_by")
        .filter(code=code)
        .first()
    )


@dataclass(frozen=True)
class UploadCheck:
    sha256: str
    document: IssuedDocument | None  # the issued document whose file has this SHA-256
    signature: SignatureCheck

    @property
    def genuine(self) -> bool:
        """The very file the portal issued, with an intact signature by the bureau's key."""
        return self.document is not None and self.signature.ok

    @property
    def valid(self) -> bool:
        return self.genuine and self.document.voided_at is None


def check_upload(data: bytes) -> UploadCheck:
    digest = hashlib.sha256(data).hexdigest()
    document = (
        IssuedDocument.objects.select_related("issued_by__organisation", "replaced_by")
        .filter(sha256=digest)
        .first()
    )
    return UploadCheck(digest, document, check_signature(data))
