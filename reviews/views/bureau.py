"""The bureau's screens of the preliminary review (Art. 8-2), of site visits (Art. 8-2, 17) and of the
expert pool.

Only the bureau (bases.review_pilotbase; for the pool, the bureau's role) reaches them; for anyone
else the base or the pool does not exist here (404). Domain refusals are shown on the form with
everything the user typed kept.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.models import PilotBase, Status
from bases.permissions import may_review
from bases.selectors import base_list_for
from portal.views import form_to_service, import_page, import_template, pages_for, serve_minutes
from reviews.forms.decisions import MeetingForm
from reviews.forms.experts import ExpertFilterForm, ExpertForm, SpecialtyForm
from reviews.forms.preliminary import PreliminaryCheckForm, SiteVisitForm
from reviews.imports import COLUMNS
from reviews.imports import expert_import as run_import
from reviews.models import Decision, Expert, PartyGroupMeeting, PreliminaryCheck, Specialty, VisitPurpose
from reviews.permissions import may_decide, may_keep_pool
from reviews.selectors import (
    expert_list,
    expert_with_details,
    preliminary_checks_for,
    site_visits_for,
    specialty_list,
)
from reviews.services import decisions as decision_services
from reviews.services import experts as expert_services
from reviews.services import preliminary as preliminary_services
from reviews.services import site_visits as visit_services

ACTIONS = ("save", *Decision.values)


# A base's review is the bureau's; for anyone else its pages do not exist (404, never a 403 page).
_bureau_page = pages_for(may_review)


def _posted_check(base: PilotBase, posted) -> PreliminaryCheck | None:
    """The round the page showed (its form posts its id), else the latest round of the base."""
    rounds = preliminary_checks_for(base)
    if str(posted or "").isdigit():
        check = rounds.filter(pk=int(posted)).first()
        if check is not None:
            return check
    return rounds.first()


@_bureau_page(require_http_methods(["GET", "POST"]))
def preliminary(request, base_id):
    """The checklist of the round under way: save it as a draft, or conclude pass / return / reject."""
    base = get_object_or_404(base_list_for(request.user), pk=base_id)
    notice = ""
    details: list[str] = []
    form = None
    if request.method == "POST":
        check = _posted_check(base, request.POST.get("check"))
        if check is None:  # nothing was ever opened: start from the page itself
            return redirect("reviews:preliminary", base_id=base.pk)
        form = PreliminaryCheckForm(request.POST, check=check)
        action = request.POST.get("action")
        if action not in ACTIONS:
            form.add_error(None, _("请选择要执行的操作。"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                # The checklist is saved first, so a refused conclusion still keeps what was typed.
                preliminary_services.preliminary_check_save(
                    actor=request.user, check=check, items=form.item_values(), comment=data["comment"]
                )
                if action == "save":
                    messages.success(request, _("初审记录已保存。"))
                    return redirect("reviews:preliminary", base_id=base.pk)
                check = preliminary_services.preliminary_check_conclude(
                    actor=request.user,
                    check=check,
                    decision=action,
                    comment=data["comment"],
                    expected_status=data["status"],
                )
            except TransitionRefused as exc:
                form.add_error(None, exc.message)
                details = exc.details
            else:
                messages.success(
                    request, _("已完成初审：%(decision)s。") % {"decision": check.get_decision_display()}
                )
                return redirect("bases:detail", pk=base.pk)
    else:
        try:
            check = preliminary_services.preliminary_check_open(actor=request.user, base=base)
        except TransitionRefused as exc:
            notice = exc.message
            check = preliminary_checks_for(base).first()
        else:
            form = PreliminaryCheckForm(check=check)

    rounds = [r for r in preliminary_checks_for(base) if not r.is_open]
    context = {
        "base": base,
        "check": check,
        "form": form,
        "notice": notice,
        "details": details,
        "rounds": rounds,
        "site_visits": site_visits_for(base, purpose=VisitPurpose.PRELIMINARY),
        "can_record_visit": base.status in visit_services.VISIT_STATES[VisitPurpose.PRELIMINARY],
    }
    return render(request, "reviews/preliminary.html", context)


def _visit_purposes(base: PilotBase) -> list[str]:
    return [purpose for purpose, states in visit_services.VISIT_STATES.items() if base.status in states]


@_bureau_page(require_http_methods(["GET", "POST"]))
def site_visit_new(request, base_id):
    """Record a site visit: date, participants, findings and photos."""
    base = get_object_or_404(base_list_for(request.user), pk=base_id)
    purposes = _visit_purposes(base)
    today = timezone.localdate()
    if request.method == "POST":
        form = SiteVisitForm(request.POST, request.FILES)
    else:
        form = SiteVisitForm(initial={"purpose": purposes[0] if purposes else "", "visited_on": today})
    if purposes:
        form.fields["purpose"].choices = [(p, VisitPurpose(p).label) for p in purposes]

    def done(visit):
        said = _("已记录%(purpose)s（%(count)d 张照片）。") % {
            "purpose": visit.get_purpose_display(),
            "count": len(form.cleaned_data["photos"]),
        }
        if visit.purpose == VisitPurpose.PRELIMINARY and base.status == Status.RECOMMENDED:
            return said, reverse("reviews:preliminary", kwargs={"base_id": base.pk})
        return said, reverse("bases:detail", kwargs={"pk": base.pk})

    answer = form_to_service(
        request,
        form,
        lambda data: visit_services.site_visit_record(
            actor=request.user,
            base=base,
            purpose=data["purpose"],
            visited_on=data["visited_on"],
            participants=data["participants"],
            findings=data["findings"],
            photos=data["photos"],
            today=today,
        ),
        refused=(TransitionRefused,),  # ApplicationInvalid too
        done=done,
        files_lost=_("所选照片未保存，请在修改后重新选择照片。"),
    )
    return answer or render(
        request, "reviews/site_visit_form.html", {"base": base, "form": form, "purposes": purposes}
    )


# --- the expert pool -----------------------------------------------------
EXPERT_PAGE_SIZE = 20
EXPERT_FIELDS = ("full_name", "title", "affiliation", "affiliation_text", "specialties", "phone", "email")


# The pool is the bureau's; for anyone else it does not exist (404, never a 403 page).
_pool_page = pages_for(may_keep_pool)


def _expert_or_404(pk) -> Expert:
    try:
        return expert_with_details(pk)
    except Expert.DoesNotExist:
        raise Http404 from None


def _pool_form(request, form, service, done):
    """The pool's forms: a refusal (a field's, or the right's) is shown on the form, typed text kept."""
    return form_to_service(request, form, service, refused=(ApplicationInvalid, PermissionRefused), done=done)


def _expert_values(data) -> dict:
    return {
        **{name: data[name] for name in EXPERT_FIELDS},
        "conflicts": data["conflicts"],
        "note": data["note"],
    }


@_pool_page(require_GET)
def expert_list_view(request):
    """The pool: name, title, unit, specialties, contact and status; filtered and paginated."""
    filter_form = ExpertFilterForm(request.GET)
    experts = expert_list(filter_form.cleaned_data) if filter_form.is_valid() else Expert.objects.none()
    page = Paginator(experts, EXPERT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter_form": filter_form, "page_obj": page, "experts": page.object_list}
    return render(request, "reviews/experts/list.html", context)


@_pool_page(require_http_methods(["GET", "POST"]))
def expert_create(request):
    """Add an expert: the account (role 评审专家) and the profile together."""
    form = ExpertForm(request.POST or None)
    answer = _pool_form(
        request,
        form,
        lambda data: expert_services.expert_create(
            actor=request.user, username=data["username"], password=data["password"], **_expert_values(data)
        ),
        lambda expert: (_("已将专家“%(name)s”加入专家库。") % {"name": expert.user}, "reviews:expert_list"),
    )
    return answer or render(request, "reviews/experts/form.html", {"form": form, "expert": None})


@_pool_page(require_http_methods(["GET", "POST"]))
def expert_edit(request, pk):
    """Change an expert's details, specialties and declared conflicts."""
    expert = _expert_or_404(pk)
    form = ExpertForm(request.POST or None, expert=expert)
    answer = _pool_form(
        request,
        form,
        lambda data: expert_services.expert_update(actor=request.user, expert=expert, **_expert_values(data)),
        lambda saved: (_("已保存专家“%(name)s”的信息。") % {"name": saved.user}, "reviews:expert_list"),
    )
    return answer or render(request, "reviews/experts/form.html", {"form": form, "expert": expert})


@_pool_page(require_POST)
def expert_toggle(request, pk):
    """Take an expert out of the pool, or back in."""
    expert = _expert_or_404(pk)
    expert = expert_services.expert_set_active(
        actor=request.user, expert=expert, is_active=not expert.is_active
    )
    if expert.is_active:
        messages.success(request, _("专家“%(name)s”已恢复在库。") % {"name": expert.user})
    else:
        messages.success(request, _("专家“%(name)s”已停用，不再参加抽取。") % {"name": expert.user})
    back = request.POST.get("next", "")
    if not (back.startswith("/reviews/experts/") and url_has_allowed_host_and_scheme(back, None)):
        back = "reviews:expert_list"  # only the pool list itself is followed back (no open redirect)
    return redirect(back)


@_pool_page(require_http_methods(["GET", "POST"]))
def specialty_list_view(request):
    """The specialty vocabulary, with a form to add one."""
    form = SpecialtyForm(request.POST or None)
    answer = _pool_form(
        request,
        form,
        lambda data: expert_services.specialty_create(actor=request.user, **data),
        lambda added: (_("已添加专业领域“%(name)s”。") % {"name": added.name}, "reviews:specialty_list"),
    )
    return answer or render(
        request, "reviews/experts/specialties.html", {"form": form, "specialties": specialty_list()}
    )


@_pool_page(require_http_methods(["GET", "POST"]))
def specialty_edit(request, pk):
    """Rename, describe or switch off a specialty."""
    specialty = get_object_or_404(Specialty, pk=pk)
    initial = {"name": specialty.name, "description": specialty.description, "is_active": specialty.is_active}
    form = SpecialtyForm(request.POST or None, initial=initial)
    answer = _pool_form(
        request,
        form,
        lambda data: expert_services.specialty_update(actor=request.user, specialty=specialty, **data),
        lambda saved: (_("已保存专业领域“%(name)s”。") % {"name": saved.name}, "reviews:specialty_list"),
    )
    return answer or render(
        request, "reviews/experts/specialty_form.html", {"form": form, "specialty": specialty}
    )


# --- Party-group decisions (Art. 8-3) -----------------------------------------------------------
_decider_page = pages_for(may_decide)


@_decider_page(require_GET)
def decision_list(request):
    """Bases awaiting the Party-group meeting, and the meetings recorded so far."""
    awaiting = base_list_for(request.user).filter(status=Status.NOTICE_CLEARED).order_by("status_changed_at")
    meetings = PartyGroupMeeting.objects.select_related("recorded_by").prefetch_related(
        "decisions__base", "attachments"
    )
    page = Paginator(meetings, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/decisions/list.html",
        {"awaiting": awaiting, "page_obj": page, "meetings": page.object_list},
    )


@_decider_page(require_http_methods(["GET", "POST"]))
def decision_new(request):
    awaiting = base_list_for(request.user).filter(status=Status.NOTICE_CLEARED).order_by("status_changed_at")
    form = MeetingForm(request.POST or None, request.FILES or None, bases=awaiting)
    answer = form_to_service(
        request,
        form,
        lambda data: decision_services.meeting_record(
            actor=request.user,
            held_on=data["held_on"],
            minutes_no=data["minutes_no"],
            note=data["note"],
            decisions=form.decisions(),
            minutes=data["minutes"],
        ),
        refused=(TransitionRefused,),  # ApplicationInvalid too
        done=lambda meeting: (
            _("已记录局党组会议（纪要%(no)s），对 %(n)d 个基地作出决定。")
            % {"no": meeting.minutes_no, "n": meeting.decisions.count()},
            "reviews:decision_list",
        ),
        files_lost=_("所选会议纪要未保存，请在修改后重新选择文件。"),
    )
    return answer or render(request, "reviews/decisions/form.html", {"form": form, "awaiting": awaiting})


@_decider_page(require_GET)
def decision_minutes(request, pk):
    """The minutes of a Party-group meeting: the bureau's only (reviews.models.DECISION_MINUTES_PURPOSE)."""
    return serve_minutes(PartyGroupMeeting, pk)


# --- Excel import of the pool ---------------------------------------------------------
@_pool_page(require_GET)
def expert_import_template(request):
    example = [
        "zhangsan",
        "张三",
        "教授",
        "太原理工大学",
        "新材料、化工",
        "13800001234",
        "zhangsan@example.cn",
        "",
    ]
    return import_template("专家库导入模板", _("专家库"), COLUMNS, example)


@_pool_page(require_http_methods(["GET", "POST"]))
def expert_import(request):
    """Upload the filled template: 检查 (a dry run listing every problem) or 导入 (all or nothing)."""
    return import_page(
        request,
        run=run_import,
        imported=_("已导入 %(n)d 名专家。"),
        done_url=reverse("reviews:expert_list"),
        page={
            "title": _("从 Excel 导入专家"),
            "back_url": reverse("reviews:expert_list"),
            "back_label": _("专家库"),
            "template_url": reverse("reviews:expert_import_template"),
        },
    )
