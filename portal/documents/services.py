"""Writes of uploaded files. Content checks of uploads (type by content, size) come with the forms."""

import hashlib
import mimetypes

from django.core.files.base import File
from django.db import models

from portal.documents.models import Attachment
from portal.documents.validators import DOCUMENT_KINDS, validate_upload


def attachment_create(
    *, owner: models.Model, purpose: str, file: File, uploaded_by=None, allowed=DOCUMENT_KINDS
) -> Attachment:
    """Store a validated upload (type by content, size limit) on `owner`; raises ValidationError
    with a message naming the file."""
    validate_upload(file, allowed)
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
        mime_type=getattr(file, "content_type", None) or mimetypes.guess_type(name)[0] or "",
        sha256=digest.hexdigest(),
        uploaded_by=uploaded_by,
    )
    attachment.file.save(name, file, save=False)
    attachment.save()
    return attachment
