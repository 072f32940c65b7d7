"""The bureau's screens of the preliminary review (Art. 8-2) and of site visits (Art. 8-2, 17).

Only the bureau (bases.review_pilotbase) reaches them; for anyone else the base does not exist here
(404). Domain refusals are shown on the form with everything the user typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bases.exceptions import ApplicationInvalid, TransitionRefused
from bases.models import PilotBase, Status
from bases.selectors import base_list_for
from reviews import services
from reviews.forms import PreliminaryCheckForm, SiteVisitForm
from reviews.models import Decision, PreliminaryCheck, VisitPurpose
from reviews.selectors import preliminary_checks_for, site_visits_for

ACTIONS = ("save", *Decision.values)


def _reviewable_base(request, base_id) -> PilotBase:
    """The base, for the bureau only; anyone else gets a 404 (never a 403 page)."""
    if not request.user.has_perm(services.REVIEW_PERMISSION):
        raise Http404
    return get_object_or_404(base_list_for(request.user), pk=base_id)


def _posted_check(base: PilotBase, posted) -> PreliminaryCheck | None:
    """The round the page showed (its form posts its id), else the latest round of the base."""
    rounds = preliminary_checks_for(base)
    if str(posted or "").isdigit():
        check = rounds.filter(pk=int(posted)).first()
        if check is not None:
            return check
    return rounds.first()


@login_required
@require_http_methods(["GET", "POST"])
def preliminary(request, base_id):
    """The checklist of the round under way: save it as a draft, or conclude pass / return / reject."""
    base = _reviewable_base(request, base_id)
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
                services.preliminary_check_save(
                    actor=request.user, check=check, items=form.item_values(), comment=data["comment"]
                )
                if action == "save":
                    messages.success(request, _("初审记录已保存。"))
                    return redirect("reviews:preliminary", base_id=base.pk)
                check = services.preliminary_check_conclude(
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
            check = services.preliminary_check_open(actor=request.user, base=base)
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
        "can_record_visit": base.status in services.VISIT_STATES[VisitPurpose.PRELIMINARY],
    }
    return render(request, "reviews/preliminary.html", context)


def _visit_purposes(base: PilotBase) -> list[str]:
    return [purpose for purpose, states in services.VISIT_STATES.items() if base.status in states]


@login_required
@require_http_methods(["GET", "POST"])
def site_visit_new(request, base_id):
    """Record a site visit: date, participants, findings and photos."""
    base = _reviewable_base(request, base_id)
    purposes = _visit_purposes(base)
    today = timezone.localdate()
    if request.method == "POST":
        form = SiteVisitForm(request.POST, request.FILES)
    else:
        form = SiteVisitForm(initial={"purpose": purposes[0] if purposes else "", "visited_on": today})
    if purposes:
        form.fields["purpose"].choices = [(p, VisitPurpose(p).label) for p in purposes]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.site_visit_record(
                actor=request.user,
                base=base,
                purpose=data["purpose"],
                visited_on=data["visited_on"],
                participants=data["participants"],
                findings=data["findings"],
                photos=data["photos"],
                today=today,
            )
        except ApplicationInvalid as exc:
            for field, message in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, message)
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("已记录%(purpose)s（%(count)d 张照片）。")
                % {"purpose": visit.get_purpose_display(), "count": len(data["photos"])},
            )
            if visit.purpose == VisitPurpose.PRELIMINARY and base.status == Status.RECOMMENDED:
                return redirect("reviews:preliminary", base_id=base.pk)
            return redirect("bases:detail", pk=base.pk)
    if request.method == "POST" and form.errors and request.FILES:
        # A browser never refills a file input: say so rather than let the photos vanish silently.
        form.add_error(None, _("所选照片未保存，请在修改后重新选择照片。"))
    context = {"base": base, "form": form, "purposes": purposes}
    return render(request, "reviews/site_visit_form.html", context)
