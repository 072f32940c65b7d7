"""Serving a stored file; the caller has checked that the user may see it."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header


def serve_file(file, filename: str, content_type: str | None = None) -> HttpResponse:
    """The file as a download named `filename`.

    Behind the production proxy (settings.PROTECTED_MEDIA_URL set, files on the local filesystem)
    the answer is empty and carries `X-Accel-Redirect`: nginx sends the bytes from its `internal`
    location, which no client can request itself, so a gunicorn worker is not held for the transfer.
    Otherwise (make run, tests, files on S3 object storage) Django streams the file.
    """
    storage = file.storage
    if settings.PROTECTED_MEDIA_URL and isinstance(storage, FileSystemStorage):
        guessed = mimetypes.guess_type(filename)[0]
        response = HttpResponse(content_type=content_type or guessed or "application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["X-Accel-Redirect"] = quote(f"{settings.PROTECTED_MEDIA_URL}{file.name}", safe="/")
        return _sandboxed(response)  # nginx's internal location adds the same headers
    if not isinstance(storage, FileSystemStorage) and not storage.exists(file.name):
        raise Http404  # object storage opens lazily: a missing object must still be a 404
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type or None)
    return _sandboxed(response)


# An uploaded file is always a download, never a page of the portal: should a browser render it
# anyway (a PDF viewer, an HTML file disguised as an image), it runs sandboxed — no script, no
# same-origin access, no forms — and is never sniffed into another type.
SANDBOX_POLICY = "default-src 'none'; sandbox"


def _sandboxed(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_attachment(attachment) -> HttpResponse:
    return serve_file(attachment.file, attachment.original_name, attachment.mime_type)
