"""Serving a stored attachment; the caller has checked that the user may see it."""

from django.http import FileResponse, Http404


def serve_attachment(attachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type or None,
    )
