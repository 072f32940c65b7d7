"""Documents as PDF (SPEC §5): preview a draft, issue (the bureau), download an issued one again.
Subjects are loaded through the user's scope: a base outside it, or a bureau record for anyone but
the bureau, is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bases import documents
from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import PilotBase
from bases.selectors import base_records_for
from portal.documents.models import IssuedDocument
from portal.documents.views import serve_file


def _subject(request, kind_key, pk):
    kind = documents.KINDS.get(kind_key)
    if kind is None:
        raise Http404
    if kind.subject is PilotBase:
        return kind, get_object_or_404(base_records_for(request.user), pk=pk)
    if not request.user.has_perm("bases.review_pilotbase"):
        raise Http404
    return kind, get_object_or_404(kind.subject, pk=pk)


def _back(request, fallback):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_GET
def preview(request, kind, pk):
    kind_obj, subject = _subject(request, kind, pk)
    try:
        pdf = documents.document_preview(actor=request.user, kind_key=kind_obj.key, subject=subject)
    except PermissionRefused as exc:
        raise Http404 from exc
    except TransitionRefused as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind_obj.key}-draft.pdf"'
    return response


@login_required
@require_POST
def issue(request, kind, pk):
    kind_obj, subject = _subject(request, kind, pk)
    if not request.user.has_perm("bases.review_pilotbase"):
        raise Http404
    try:
        document = documents.document_issue(actor=request.user, kind_key=kind_obj.key, subject=subject)
    except (TransitionRefused, PermissionRefused) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已出具：%(document)s") % {"document": document})
    return _back(request, f"/bases/{subject.pk}/" if isinstance(subject, PilotBase) else "/workspace/")


@login_required
@require_GET
def download(request, pk):
    document = get_object_or_404(IssuedDocument, pk=pk)
    if document.base_id:
        if not base_records_for(request.user).filter(pk=document.base_id).exists():
            raise Http404
    elif not request.user.has_perm("bases.review_pilotbase"):
        raise Http404
    name = f"{document.number or document.kind}-{document.title}.pdf".replace("/", "-")
    return serve_file(document.file, name, "application/pdf")


@login_required
@require_GET
def dossier(request, pk):
    """One ZIP with all the base's issued documents and attachments, for archiving (SPEC §5)."""
    import tempfile
    import zipfile

    from django.http import FileResponse
    from django.utils import timezone

    from bases.selectors import base_attachments

    base = get_object_or_404(base_records_for(request.user), pk=pk)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in base.issued_documents.all():
            name = f"{document.number or document.kind}-{document.title}.pdf".replace("/", "-")
            with document.file.open("rb") as source:
                archive.writestr(f"已出具文件/{name}", source.read())
        bureau = request.user.has_perm("bases.review_pilotbase")
        for folder, attachment in base_attachments(base, include_bureau_only=bureau):
            try:
                with attachment.file.open("rb") as source:
                    archive.writestr(f"{folder}/{attachment.pk}-{attachment.original_name}", source.read())
            except FileNotFoundError:
                continue
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{base.name}-档案-{timezone.localdate():%Y%m%d}.zip",
        content_type="application/zip",
    )


@login_required
@require_POST
def batch(request, kind):
    """The bureau issues a document of `kind` for every eligible subject, in the worker."""
    if not request.user.has_perm("bases.review_pilotbase") or kind not in documents.BATCH_CANDIDATES:
        raise Http404
    try:
        job = documents.document_batch_start(actor=request.user, kind_key=kind)
    except (TransitionRefused, PermissionRefused) as exc:
        messages.error(request, exc.message)
        return redirect("bases:list")
    return redirect("bases:job", pk=job.pk)


def _job(request, pk):
    from portal.documents.models import BackgroundJob

    job = get_object_or_404(BackgroundJob, pk=pk)
    if job.requested_by_id != request.user.pk:
        raise Http404
    return job


@login_required
@require_GET
def job(request, pk):
    """A background job's progress (the partial polls itself until the job ends)."""
    from django.shortcuts import render

    job = _job(request, pk)
    template = "bases/partials/job.html" if request.htmx else "bases/job.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def job_download(request, pk):
    job = _job(request, pk)
    if not job.file:
        raise Http404

    name = job.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    return serve_file(job.file, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
