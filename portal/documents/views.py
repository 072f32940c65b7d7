"""Serving a stored file; the caller has checked that the user may see it."""

from django.http import FileResponse, Http404


def serve_file(file, filename: str, content_type: str | None = None) -> FileResponse:
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type or None)


def serve_attachment(attachment) -> FileResponse:
    return serve_file(attachment.file, attachment.original_name, attachment.mime_type)
