"""Public notices (Art. 8-3): the bureau's screens (compose, publish, objections, closing) and the
public's (current and past notices, the real-name objection form and its receipt).

The public pages show what the notice published and nothing of the objectors; the bureau's pages
are a 404 for anyone else.
"""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import Status
from bases.permissions import may_review
from bases.selectors import base_list_for
from portal.client_ip import client_ip
from portal.documents.models import Attachment
from portal.documents.views import serve_attachment
from portal.forms import query_date
from portal.parameters import get_parameter
from portal.resilience import submitted_once
from portal.text import join_list
from portal.views import act_and_return, form_to_service, pages_for
from reviews.forms.notices import (
    InvestigationForm,
    NoticeForm,
    ObjectionForm,
    ObjectionLookupForm,
    ResolutionForm,
)
from reviews.models import NoticeBase, Objection, PublicNotice
from reviews.services import notices as services

RECEIPT_SESSION_KEY = "objection_receipts"
CODE_SESSION_KEY = "objection_codes"  # receipt number → query code, until the receipt shows it once


# Notices are the bureau's; for anyone else these pages do not exist (404).
_bureau_page = pages_for(may_review)


def _parse_date(raw):
    return query_date(raw)  # None outside 1949–2100: 9999-12-31 overflowed the calendar (a 500)


# --- the bureau --------------------------------------------------------------------------------------
@_bureau_page(require_GET)
def notice_list(request):
    notices = PublicNotice.objects.annotate(
        base_count=Count("entries", distinct=True),
        pending=Count("entries__objections", filter=Q(entries__objections__state="pending"), distinct=True),
        objection_count=Count("entries__objections", distinct=True),
    ).order_by("-starts_on", "-pk")
    page = Paginator(notices, 20).get_page(request.GET.get("page"))
    waiting = base_list_for(request.user).filter(status=Status.REVIEW_PASSED).count()
    return render(
        request,
        "reviews/notices/list.html",
        {"page_obj": page, "notices": page.object_list, "waiting": waiting, "today": timezone.localdate()},
    )


@_bureau_page(require_GET)
def notice_period(request):
    """HTMX: the end date of the period the compose form shows, with the calendar warning."""
    starts_on = _parse_date(request.GET.get("starts_on"))
    try:
        working_days = int(request.GET.get("working_days") or 0)
    except ValueError:
        working_days = 0
    period = None
    if starts_on and 1 <= working_days <= services.MAX_WORKING_DAYS:
        period = services.notice_period(starts_on, working_days)
    return render(request, "reviews/notices/_period.html", {"period": period})


@_bureau_page(require_http_methods(["GET", "POST"]))
def notice_new(request):
    waiting = base_list_for(request.user).filter(status=Status.REVIEW_PASSED).order_by("status_changed_at")
    today = timezone.localdate()
    initial = {
        "starts_on": today,
        "working_days": get_parameter("notice_working_days"),
        "bases": list(waiting.values_list("pk", flat=True)),
        "title": _("%(year)d年度忻州市中试基地拟立项建设名单公示") % {"year": today.year},
        "body": _(
            "根据《市中试基地建设与运行管理办法》（忻科规〔2024〕2号）第八条规定，经依托单位申请、归口管理单位推荐、"
            "市科技局初审和专家评审，拟同意以下中试基地立项建设，现予以公示。公示期间，任何单位或个人对公示对象"
            "有异议的，请以实名方式通过本页面提出书面意见，并提供必要的证明材料。匿名异议不予受理。"
        ),
    }
    form = NoticeForm(request.POST or None, bases=waiting, initial=initial)
    period = None
    if form.is_bound and form.is_valid():
        period = services.notice_period(form.cleaned_data["starts_on"], form.cleaned_data["working_days"])
    answer = form_to_service(
        request,
        form,
        lambda data: services.notice_publish(
            actor=request.user,
            title=data["title"],
            body=data["body"],
            starts_on=data["starts_on"],
            working_days=data["working_days"],
            bases=list(data["bases"]),
            contact=data["contact"],
        ),
        refused=(TransitionRefused, PermissionRefused),
        done=lambda notice: (
            _("公示已发布，公示期至 %(on)s。") % {"on": notice.ends_on.isoformat()},
            reverse("reviews:notice_detail", kwargs={"pk": notice.pk}),
        ),
    )
    if answer:
        return answer
    if period is None:
        period = services.notice_period(initial["starts_on"], initial["working_days"])
    return render(request, "reviews/notices/form.html", {"form": form, "waiting": waiting, "period": period})


@_bureau_page(require_GET)
def notice_detail(request, pk):
    notice = get_object_or_404(PublicNotice, pk=pk)
    entries = notice.entries.select_related("base__host").prefetch_related(
        Prefetch("objections", queryset=Objection.objects.order_by("submitted_at", "pk"))
    )
    return render(
        request,
        "reviews/notices/detail.html",
        {"notice": notice, "entries": entries, "window": services.objection_window(notice)},
    )


@_bureau_page(require_POST)
def notice_close(request, pk):
    notice = get_object_or_404(PublicNotice, pk=pk)

    def said(result):
        yield _("公示已办结：%(cleared)d 个基地公示无异议，%(rejected)d 个基地因异议成立未通过。") % {
            "cleared": len(result.cleared),
            "rejected": len(result.rejected),
        }
        if result.blocked:
            yield _("以下基地尚有未处理的异议，处理完毕后自动办结：%(names)s") % {
                "names": join_list(result.blocked)
            }

    return act_and_return(
        request,
        lambda: services.notice_close(actor=request.user, notice=notice),
        refused=(TransitionRefused, PermissionRefused),
        said=said,
        back=reverse("reviews:notice_detail", kwargs={"pk": pk}),
    )


def _objection(pk) -> Objection:
    return get_object_or_404(
        Objection.objects.select_related("entry__notice", "entry__base__host", "resolved_by"), pk=pk
    )


@_bureau_page(require_http_methods(["GET", "POST"]))
def objection_detail(request, pk):
    objection = _objection(pk)
    investigation = InvestigationForm(
        request.POST if request.POST.get("form") == "investigate" else None,
        request.FILES or None,
        initial={"notes": objection.investigation},
    )
    resolution = ResolutionForm(request.POST if request.POST.get("form") == "resolve" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "investigate" and investigation.is_valid():
                services.objection_investigate(
                    actor=request.user,
                    objection=objection,
                    notes=investigation.cleaned_data["notes"],
                    files=investigation.cleaned_data["files"] or [],
                )
                messages.success(request, _("已保存核查情况。"))
                return redirect("reviews:objection_detail", pk=pk)
            if request.POST.get("form") == "resolve" and resolution.is_valid():
                services.objection_resolve(
                    actor=request.user,
                    objection=objection,
                    upheld=resolution.cleaned_data["upheld"],
                    resolution=resolution.cleaned_data["resolution"],
                )
                messages.success(request, _("异议已处理。"))
                return redirect("reviews:objection_detail", pk=pk)
        except (TransitionRefused, PermissionRefused) as exc:
            (investigation if request.POST.get("form") == "investigate" else resolution).add_error(
                None, exc.message
            )
        except ValidationError as exc:  # an upload the validators refused
            investigation.add_error("files", " ".join(exc.messages))
    return render(
        request,
        "reviews/notices/objection.html",
        {
            "objection": objection,
            "attachments": objection.attachments.order_by("pk"),
            "investigation_form": investigation,
            "resolution_form": resolution,
        },
    )


@_bureau_page(require_GET)
def objection_attachment(request, pk):
    """An objection's or an investigation's file: the bureau only (it may identify the objector)."""
    attachment = get_object_or_404(Attachment, pk=pk)
    if not isinstance(attachment.content_object, Objection):
        raise Http404
    return serve_attachment(attachment)


# --- the public ---------------------------------------------------------------------------------------
def _public_notices():
    return PublicNotice.objects.prefetch_related(
        Prefetch("entries", queryset=NoticeBase.objects.select_related("base__host").order_by("pk"))
    )


@require_GET
def public_notice_list(request):
    today = timezone.localdate()
    notices = _public_notices().filter(starts_on__lte=today).order_by("-starts_on", "-pk")
    current = list(notices.filter(ends_on__gte=today))
    past = notices.filter(ends_on__lt=today)
    page = Paginator(past, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/public/list.html",
        {"current": current, "page_obj": page, "past": page.object_list, "today": today},
    )


@require_http_methods(["GET", "POST"])
def public_notice_detail(request, pk):
    today = timezone.localdate()
    notice = get_object_or_404(_public_notices().filter(starts_on__lte=today), pk=pk)
    entries = list(notice.entries.all())
    window = services.objection_window(notice)
    form = ObjectionForm(request.POST or None, request.FILES or None, entries=entries)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with submitted_once(request) as once:  # a double click lodges one objection
                if once.repeated:
                    if once.result_url:  # the receipt of the first post, in this session too
                        _remember_receipt(request, resolve(once.result_url).kwargs["receipt_no"])
                    return once.repeated_response(request, fallback=request.path)
                try:
                    objection = services.objection_lodge(
                        notice=notice,
                        entry_id=data["entry"],
                        name=data["name"],
                        organisation=data["organisation"],
                        phone=data["phone"],
                        email=data["email"],
                        content=data["content"],
                        files=data["files"] or [],
                        ip_address=client_ip(request),
                    )
                except services.ObjectionRefused as exc:
                    for field, message in exc.errors.items():
                        known = field != "__all__" and field in form.fields
                        form.add_error(field if known else None, message)
                else:
                    _remember_receipt(request, objection.receipt_no)
                    request.session[CODE_SESSION_KEY] = {
                        **request.session.get(CODE_SESSION_KEY, {}),
                        objection.receipt_no: objection.code,
                    }
                    url = reverse("notices:receipt", args=[notice.pk, objection.receipt_no])
                    once.done(url)
                    return redirect(url)
        window = services.objection_window(notice)
    return render(
        request,
        "reviews/public/detail.html",
        {"notice": notice, "entries": entries, "window": window, "form": form},
    )


def _remember_receipt(request, receipt_no: str) -> None:
    receipts = request.session.get(RECEIPT_SESSION_KEY, [])
    if receipt_no not in receipts:
        request.session[RECEIPT_SESSION_KEY] = [*receipts[-9:], receipt_no]


@require_GET
def public_receipt(request, pk, receipt_no):
    """The receipt, shown only in the session that lodged the objection."""
    if receipt_no not in request.session.get(RECEIPT_SESSION_KEY, []):
        raise Http404
    notice = get_object_or_404(PublicNotice, pk=pk, entries__objections__receipt_no=receipt_no)
    codes = request.session.get(CODE_SESSION_KEY, {})
    code = codes.pop(receipt_no, "")  # shown once: a reload shows the number only
    if code:
        request.session[CODE_SESSION_KEY] = codes
    return render(
        request, "reviews/public/receipt.html", {"notice": notice, "receipt_no": receipt_no, "code": code}
    )


def _lookup_key(request) -> str:
    return f"objection-lookup:{client_ip(request) or 'unknown'}"


@require_http_methods(["GET", "POST"])
def public_objection_lookup(request):
    """进度查询 (Art. 8-3): an objector reads the status of the objection and the bureau's reply with the
    receipt number and query code, without an account. An unknown number and a wrong code get the same
    answer; failed lookups from one address are limited per hour like objections themselves
    (parameter objection_hourly_limit), so codes cannot be guessed."""
    form = ObjectionLookupForm(request.POST or None)
    objection = None
    if request.method == "POST" and form.is_valid():
        key = _lookup_key(request)
        if cache.get(key, 0) >= get_parameter("objection_hourly_limit"):
            form.add_error(None, _("查询过于频繁，请一小时后再试，或通过公示中的联系方式询问。"))
        else:
            objection = services.objection_lookup(form.cleaned_data["receipt_no"], form.cleaned_data["code"])
            if objection is None:
                cache.add(key, 0, 3600)
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, 3600)
                form.add_error(None, _("未找到与该受理编号和查询码相符的异议，请核对后重新输入。"))
    return render(request, "reviews/public/lookup.html", {"form": form, "objection": objection})
