"""Documents as PDF: preview a draft, issue (the bureau), download an issued one again.
Subjects are loaded through the user's scope: a base outside it, or a bureau record for anyone but
the bureau, is a 404."""

import tempfile
import zipfile
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import PilotBase
from bases.permissions import may_review
from bases.selectors import base_records_for
from bases.selectors.filings import base_attachments
from portal.documents import issuing as documents
from portal.documents.excel import dated_download
from portal.documents.models import BackgroundJob, IssuedDocument
from portal.documents.services import void_stamped
from portal.documents.views import serve_file
from portal.forms import refusal_to_form


def _subject(request, kind_key, pk):
    kind = documents.KINDS.get(kind_key)
    if kind is None:
        raise Http404
    if kind.subject is PilotBase:
        return kind, get_object_or_404(base_records_for(request.user), pk=pk)
    if not may_review(request.user):
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
    """Issue once: pressed again (or by two people at once) it shows the document already issued."""
    kind_obj, subject = _subject(request, kind, pk)
    if not may_review(request.user):
        raise Http404
    try:
        document = documents.document_issue(actor=request.user, kind_key=kind_obj.key, subject=subject)
    except (TransitionRefused, PermissionRefused) as exc:
        messages.error(request, exc.message)
        return _back(request, f"/bases/{subject.pk}/" if isinstance(subject, PilotBase) else "/workspace/")
    if document.newly_issued:
        messages.success(request, _("已出具：%(document)s") % {"document": document})
    else:
        messages.info(request, _("该文件已出具，不再重复出具：%(document)s") % {"document": document})
    return redirect("bases:document_detail", pk=document.pk)


def may_see(user, document) -> bool:
    """Who may open an issued document: a base's documents whoever may see the base; the public
    notice (公示) anyone; the annual grading bulletin (addressed to every county and unit) anyone
    signed in; the rest the bureau."""
    if document.kind in documents.PUBLIC_KINDS:
        return True
    if not user.is_authenticated:
        return False
    if document.base_id:  # an expert reads only what the scoring needs: no issued documents
        return base_records_for(user).filter(pk=document.base_id).exists()
    if document.kind in documents.SIGNED_IN_KINDS:
        return True
    return may_review(user)


class _SignInFirst(Exception):
    pass


def _visible_document(request, pk):
    document = get_object_or_404(
        IssuedDocument.objects.select_related("issued_by__organisation", "voided_by", "replaces"), pk=pk
    )
    if not may_see(request.user, document):
        if not request.user.is_authenticated:
            raise _SignInFirst
        raise Http404
    return document


def _sign_in_first(view):
    """A document that is not public asks a visitor to sign in (then it is shown, or a 404)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignInFirst:
            return redirect_to_login(request.get_full_path())

    return wrapped


def _file_name(document) -> str:
    void = _("（作废）") if document.is_void else ""
    return f"{document.number or document.kind}-{document.title}{void}.pdf".replace("/", "-")


@_sign_in_first
@require_GET
def download(request, pk):
    """The issued PDF, byte-identical; a voided one is stamped 作废 with its reason on every page."""
    document = _visible_document(request, pk)
    if document.is_void:
        with document.file.open("rb") as handle:
            pdf = void_stamped(
                handle.read(),
                reason=document.void_reason,
                voided_on=documents.date_cn(timezone.localdate(document.voided_at)),
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, _file_name(document))
        return response
    return serve_file(document.file, _file_name(document), "application/pdf")


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("作废原因"),
        max_length=2000,
        error_messages={"required": gettext_lazy("请填写作废原因。")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _document_page(request, document, form, status=200):
    return render(
        request,
        "bases/document.html",
        {
            "document": document,
            "kind": documents.KINDS.get(document.kind),
            "replaced_by": getattr(document, "replaced_by", None),
            "can_reissue": request.user.is_authenticated
            and may_review(request.user)
            and not document.is_void,
            "form": form,
        },
        status=status,
    )


@_sign_in_first
@require_GET
def document_detail(request, pk):
    """An issued document's page: number, title, status (valid / voided with reason and its
    correction), verification code, and for the bureau the correction form."""
    return _document_page(request, _visible_document(request, pk), ReissueForm())


@login_required
@require_POST
def document_reissue(request, pk):
    """The bureau corrects an issued document: it is voided (reason recorded) and issued again. A
    refusal shows the document's page again with the reason typed and what is wrong (status 400)."""
    if not request.user.has_perm("bases.review_pilotbase"):
        raise Http404
    document = _visible_document(request, pk)
    form = ReissueForm(request.POST)
    if form.is_valid():
        try:
            new = documents.document_reissue(
                actor=request.user, document=document, reason=form.cleaned_data["reason"]
            )
        except (TransitionRefused, PermissionRefused) as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("原文件已作废，更正后的文件已出具：%(document)s") % {"document": new})
            return redirect("bases:document_detail", pk=new.pk)
    return _document_page(request, document, form, status=400)


@login_required
@require_GET
def document_list(request):
    """The documents issued about what this user may see (a host unit: its bases' documents)."""
    visible = IssuedDocument.objects.select_related("base", "issued_by").order_by("-issued_at", "-pk")
    if not may_review(request.user):
        visible = visible.filter(
            Q(base__in=base_records_for(request.user))
            | Q(base__isnull=True, kind__in=[*documents.PUBLIC_KINDS, *documents.SIGNED_IN_KINDS])
        )
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    return render(request, "bases/documents.html", {"page_obj": page, "documents": page.object_list})


@login_required
@require_GET
def dossier(request, pk):
    """One ZIP with all the base's issued documents and attachments, for archiving."""
    base = get_object_or_404(base_records_for(request.user), pk=pk)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in base.issued_documents.all():
            name = _file_name(document)
            with document.file.open("rb") as source:
                archive.writestr(f"已出具文件/{name}", source.read())
        bureau = may_review(request.user)
        for folder, attachment in base_attachments(base, include_bureau_only=bureau):
            try:
                with attachment.file.open("rb") as source:
                    archive.writestr(f"{folder}/{attachment.pk}-{attachment.original_name}", source.read())
            except FileNotFoundError:
                continue
    return dated_download(handle, f"{base.name}-档案", "zip", "application/zip")


@login_required
@require_POST
def batch(request, kind):
    """The bureau issues a document of `kind` for every eligible subject, in the worker."""
    if not may_review(request.user) or kind not in documents.BATCH_CANDIDATES:
        raise Http404
    try:
        job = documents.document_batch_start(actor=request.user, kind_key=kind)
    except (TransitionRefused, PermissionRefused) as exc:
        messages.error(request, exc.message)
        return redirect("bases:list")
    return redirect("bases:job", pk=job.pk)


def _job(request, pk):
    job = get_object_or_404(BackgroundJob, pk=pk)
    if job.requested_by_id != request.user.pk:
        raise Http404
    return job


@login_required
@require_GET
def job(request, pk):
    """A background job's progress (the partial polls itself until the job ends)."""
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
