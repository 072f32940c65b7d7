"""The Party-group meeting's decision on a base (Art. 8-3)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases.models import PilotBase
from bases.services.common import (
    announce,
    host_and_supervisor,
    meeting_comment,
    require_reason,
    run_meeting_approval,
)
from bases.services.recognition import recognize_again
from bases.services.revocation import end_predecessor_if_failed
from portal.accounts.models import User
from portal.workflow.services import (
    check_expected_state,
    check_transition,
    lock,
    run_transition,
)


@transaction.atomic
def base_approve(
    *,
    actor: User,
    base: PilotBase,
    meeting_on: date,
    minutes_no: str,
    expected_status: str | None = None,
    today: date | None = None,
) -> PilotBase:
    """Art. 8-3: the Party-group meeting approves the base; its host must now file the task book
    (Art. 8-4). The approval date is the meeting's date."""
    base = lock(base)
    check_expected_state(base, expected_status)
    if base.is_re_recognition():
        return recognize_again(
            actor=actor, base=base, meeting_on=meeting_on, minutes_no=minutes_no, today=today
        )
    run_meeting_approval(actor, base, "approve", meeting_on, minutes_no, today)
    announce(
        base,
        host_and_supervisor(base),
        (gettext_lazy("批准立项：%(name)s"), {"name": base.name}),
        gettext_lazy("请依据立项建设通知填报《市中试基地建设计划任务书》（第八条第（四）项）。"),
    )
    return base


@transaction.atomic
def base_decision_reject(
    *,
    actor: User,
    base: PilotBase,
    meeting_on: date,
    minutes_no: str,
    reason: str,
    expected_status: str | None = None,
) -> PilotBase:
    """Art. 8-3: the Party-group meeting does not approve the base; the reason is recorded."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="decision_reject", actor=actor)
    reason = require_reason(reason, _("不予立项的理由"))
    run_transition(
        instance=base,
        transition="decision_reject",
        actor=actor,
        comment=meeting_comment(meeting_on, minutes_no, reason),
    )
    announce(
        base, host_and_supervisor(base), (gettext_lazy("不予立项：%(name)s"), {"name": base.name}), reason
    )
    end_predecessor_if_failed(base=base)
    return base
