"""Writes of uploaded files. Content checks of uploads (type by content, size) come with the forms."""

import hashlib
import io
import mimetypes

from django.core.files.base import ContentFile, File
from django.db import IntegrityError, models, transaction
from pypdf import PdfReader, PdfWriter

from portal.documents.models import Attachment, DocumentSequence, IssuedDocument
from portal.documents.pdf import render_pdf
from portal.documents.validators import DOCUMENT_KINDS, KINDS, validate_upload


def stored_mime_type(kind: str, name: str) -> str:
    """The canonical MIME type of a sniffed kind (an old Office file by its agreed extension)."""
    return KINDS[kind].mime_types[0] if kind in KINDS else mimetypes.guess_type(name)[0] or ""


def attachment_create(
    *, owner: models.Model, purpose: str, file: File, uploaded_by=None, allowed=DOCUMENT_KINDS
) -> Attachment:
    """Store a validated upload (type by content, size limit) on `owner`; raises ValidationError
    with a message naming the file."""
    kind = validate_upload(file, allowed)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    name = getattr(file, "name", "") or "file"
    attachment = Attachment(
        content_object=owner,
        purpose=purpose,
        original_name=name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255],
        size=file.size,
        # the type the content was sniffed as, never what the browser claimed (an HTML page sent
        # as "image/png" must not be served back with the browser's label)
        mime_type=stored_mime_type(kind, name),
        sha256=digest.hexdigest(),
        uploaded_by=uploaded_by,
    )
    attachment.file.save(name, file, save=False)
    attachment.save()
    return attachment


# --- document numbers and issued documents ----------------------------------------------------------
BUREAU_PREFIX = "忻科字"


def document_number_allocate(*, year: int, prefix: str = BUREAU_PREFIX) -> tuple[str, int]:
    """The next number of the year (忻科字〔2026〕7号) inside the caller's transaction: the sequence row
    is locked, so two documents issued at once get consecutive numbers and a rolled-back issue gives
    its number back."""
    try:
        with transaction.atomic():
            DocumentSequence.objects.get_or_create(prefix=prefix, year=year)
    except IntegrityError:  # created by a concurrent issue between our read and insert
        pass
    sequence = DocumentSequence.objects.select_for_update().get(prefix=prefix, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}〔{year}〕{sequence.last}号", sequence.last


def document_store(
    *,
    kind: str,
    title: str,
    subject,
    base,
    pdf: bytes,
    issued_by,
    number: str = "",
    year=None,
    sequence=None,
    code=None,
    signer: str = "",
    signed_with_dev_key: bool = False,
    replaces=None,
):
    """Store an issued PDF with its SHA-256 (of the signed bytes, as downloaded)."""
    document = IssuedDocument(
        kind=kind,
        title=title,
        subject=subject,
        base=base,
        number=number,
        year=year,
        sequence=sequence,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_by=issued_by,
        code=code,
        signer=signer,
        signed_with_dev_key=signed_with_dev_key,
        replaces=replaces,
    )
    document.file.save(f"{kind}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


def void_stamped(pdf: bytes, *, reason: str, voided_on: str) -> bytes:
    """A voided document as it is shown and downloaded: every page stamped 作废 with the reason. The
    stored file (and so its SHA-256 and signature) stays as issued; verification says it is void."""
    stamp = PdfReader(
        io.BytesIO(render_pdf("pdf/void_stamp.html", {"reason": reason, "voided_on": voided_on}))
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        page.merge_page(stamp.pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
