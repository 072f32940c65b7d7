"""Re-recognition after a change (Art. 14): the new application copied from its predecessor, and
its recognition once approved."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import TERMINAL_STATES, ConditionAffirmation, PilotBase, Status
from bases.permissions import base_assign_permissions, is_host_of
from bases.services.common import announce, host_and_supervisor, local_today, run_meeting_approval
from portal.accounts.models import User
from portal.workflow.services import (
    lock,
    log_creation,
    run_transition,
)

# --- re-recognition (Art. 14) -------------------------------------------------------------------------
COPIED_ROWS = ("co_builders", "technical_backings", "papers", "equipment")
NOT_COPIED = {
    "id",
    "status",
    "status_changed_at",
    "kind",
    "predecessor",
    "applied_on",
    "approved_on",
    "application_year",
    "extension_months",
    "construction_deadline",
    "recognized_on",
    "revoked_on",
    "revocation_reason",
    "revocation_article",
    "revocation_note",
    "created_by",
    "created_at",
    "updated_at",
}


@transaction.atomic
def base_start_re_recognition(*, actor: User, predecessor: PilotBase, today: date | None = None) -> PilotBase:
    """Art. 14: the host of a base awaiting re-recognition starts the new application, pre-filled
    from its predecessor (content, co-builders, backing institutions, papers, equipment)."""
    predecessor = lock(predecessor)
    if not is_host_of(actor, predecessor):
        raise PermissionRefused(_("只有依托单位的人员可以申请重新认定。"))
    if predecessor.status != Status.RE_RECOGNITION_REQUIRED:
        raise TransitionRefused(_("只有“待重新认定”的基地可以申请重新认定。"))
    if PilotBase.objects.filter(predecessor=predecessor).exclude(status__in=TERMINAL_STATES).exists():
        raise TransitionRefused(_("该基地已有进行中的重新认定申请。"))
    values = {
        f.name: getattr(predecessor, f.name)
        for f in PilotBase._meta.concrete_fields
        if f.name not in NOT_COPIED and not f.primary_key
    }
    base = PilotBase.objects.create(
        **values,
        kind="re_recognition",
        predecessor=predecessor,
        created_by=actor,
        application_year=local_today(today).year,
    )
    for relation in COPIED_ROWS:
        for row in getattr(predecessor, relation).all():
            row.pk = None
            row.base = base
            row.save()
    for condition in predecessor.conditions.all():
        ConditionAffirmation.objects.create(
            base=base,
            condition=condition.condition,
            affirmed=condition.affirmed,
            statement=condition.statement,
        )
    base_assign_permissions(base)
    log_creation(
        instance=base, actor=actor, comment=_("重新认定申请，前身：%(name)s") % {"name": predecessor.name}
    )
    return base


def recognize_again(*, actor: User, base: PilotBase, meeting_on: date, minutes_no: str, today) -> PilotBase:
    """Art. 14: an approved re-recognition is recognised at once; its predecessor is superseded; no
    new award."""
    run_meeting_approval(actor, base, "recognize_again", meeting_on, minutes_no, today, "recognized_on")
    predecessor = lock(base.predecessor)
    run_transition(
        instance=predecessor,
        transition="supersede",
        actor=actor,
        comment=_("已由重新认定的“%(name)s”取代。") % {"name": base.name},
    )
    announce(base, host_and_supervisor(base), (gettext_lazy("重新认定通过：%(name)s"), {"name": base.name}))
    return base
