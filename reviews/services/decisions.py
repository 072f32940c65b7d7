"""Art. 8-3: the bureau's Party-group meeting decides on each base whose public notice cleared.

One meeting, one transaction: every base is approved (→ approved, approval date = meeting date;
the host is told to file the task book) or not approved with its reason (→ rejected). If any base
is no longer awaiting a decision, nothing is recorded and the page says which.
"""

from collections.abc import Mapping
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bases import services as base_services
from bases.exceptions import ApplicationInvalid, StaleState, TransitionRefused
from bases.models import PilotBase, Status
from bases.services.common import MINUTES_KINDS, meeting_date_problem, minutes_problem
from portal.accounts.models import User
from portal.documents.services import attachment_create
from reviews.models import MeetingDecision, MeetingOutcome, PartyGroupMeeting
from reviews.models.decisions import DECISION_MINUTES_PURPOSE
from reviews.permissions import require_decider


def meeting_record(
    *,
    actor: User,
    held_on: date | None,
    minutes_no: str,
    decisions: Mapping[int, tuple[str, str]],
    note: str = "",
    minutes=None,
    today: date | None = None,
) -> PartyGroupMeeting:
    """Record a meeting and its decision on each base: decisions maps base id → (outcome, reason).
    ``minutes``: the signed minutes (PDF, checked by content like every upload) the decision rests
    on (Art. 8-3: 由局党组会议研究确定); the bureau's page requires them."""
    require_decider(actor)
    today = today or timezone.localdate()
    minutes_no = (minutes_no or "").strip()
    errors = {}
    if problem := meeting_date_problem(held_on, today):
        errors["held_on"] = problem
    if not minutes_no:
        errors["minutes_no"] = _("请填写会议纪要编号。")
    elif PartyGroupMeeting.objects.filter(minutes_no=minutes_no).exists():
        errors["minutes_no"] = _("纪要编号“%(no)s”已被使用。") % {"no": minutes_no}
    if not decisions:
        errors["decisions"] = _("请至少对一个基地作出决定。")
    for base_id, (outcome, reason) in decisions.items():
        if outcome not in MeetingOutcome.values:
            raise ValueError(f"unknown outcome {outcome!r} for base {base_id}")
        if outcome == MeetingOutcome.REJECT and not (reason or "").strip():
            errors[f"reason_{base_id}"] = _("不予立项的，请填写理由。")
    if minutes is not None and (problem := minutes_problem(minutes)):
        errors["minutes"] = problem
    if errors:
        raise ApplicationInvalid(_("会议决定填写有误，请修正后再提交。"), field_errors=errors)

    try:
        with transaction.atomic():
            meeting = PartyGroupMeeting.objects.create(
                held_on=held_on, minutes_no=minutes_no, note=(note or "").strip(), recorded_by=actor
            )
            if minutes is not None:
                attachment_create(
                    owner=meeting,
                    purpose=DECISION_MINUTES_PURPOSE,
                    file=minutes,
                    uploaded_by=actor,
                    allowed=MINUTES_KINDS,
                )
            bases = PilotBase.objects.select_for_update().in_bulk(list(decisions))
            for base_id, (outcome, reason) in decisions.items():
                base = bases.get(base_id)
                if base is None or base.status != Status.NOTICE_CLEARED:
                    name = base.name if base else str(base_id)
                    raise StaleState(_("“%(name)s”已不在待决定状态，请刷新页面后再提交。") % {"name": name})
                if outcome == MeetingOutcome.APPROVE:
                    base_services.base_approve(
                        actor=actor, base=base, meeting_on=held_on, minutes_no=minutes_no, today=today
                    )
                else:
                    base_services.base_decision_reject(
                        actor=actor, base=base, meeting_on=held_on, minutes_no=minutes_no, reason=reason
                    )
                MeetingDecision.objects.create(
                    meeting=meeting, base=base, outcome=outcome, reason=(reason or "").strip()
                )
    except IntegrityError as exc:  # two people recording the same minutes at once
        raise TransitionRefused(_("纪要编号“%(no)s”已被使用。") % {"no": minutes_no}) from exc
    return meeting
