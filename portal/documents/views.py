"""Serving a stored file (the caller has checked that the user may see it), and the public
verification of issued documents."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.documents import verification


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


# --- public verification (no login; changes nothing) --------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
def verify_home(request):
    """A code typed in (GET ?code=) leads to its page; a copy uploaded (POST) is matched by its
    SHA-256 against the issued files and its signature checked."""
    context = {"code_typed": request.GET.get("code", "")}
    if request.method != "POST":
        if context["code_typed"]:
            code = verification.normalise_code(context["code_typed"])
            if verification.code_is_well_formed(code):
                return redirect("verify:code", code=code)
            context["code_error"] = _("验证码应为10位字母数字，例如 3A7CD-EFGHJ。")
        return render(request, "documents/verify.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["upload_error"] = _("请选择要核验的 PDF 文件。")
        return render(request, "documents/verify.html", context, status=400)
    if upload.size > verification.MAX_UPLOAD_BYTES:
        context["upload_error"] = _("文件超过 20 MB，不是本平台出具的文件。")
        return render(request, "documents/verify.html", context, status=400)
    context["result"] = verification.check_upload(b"".join(upload.chunks()))
    context["upload_name"] = upload.name
    return render(request, "documents/verify.html", context)


@require_GET
def verify_code(request, code):
    """The page the QR code of a document leads to: number, title, date, issuer, SHA-256, status."""
    document = verification.document_by_code(code)
    if document is None:
        return render(request, "documents/verify.html", {"not_found": True, "code_typed": code}, status=404)
    return render(request, "documents/verify.html", {"document": document})
