"""A base's steps: those logged (its timeline, the recent activity) and those the user may take now."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django_fsm_log.models import StateLog

from bases.models import PilotBase
from bases.permissions import may_run
from bases.selectors.scope import base_list_for, sees_every_base
from portal.accounts.models import User


def base_timeline(base: PilotBase) -> QuerySet[StateLog]:
    """Every logged step of the base, oldest first, with who did it as what."""
    return (
        StateLog.objects.for_(base)
        .select_related("by", "content_type", "record__actor_organisation")
        .prefetch_related("record__attachments")
        .order_by("timestamp", "pk")
    )


def base_actions_for(base: PilotBase, user: User) -> list[str]:
    """Transitions this user may start on this base in its state (guards are checked when run, so a
    host approver sees 审核提交 on an incomplete application and learns what is missing)."""
    names: list[str] = []
    for transition in base.get_all_status_transitions():
        fits = transition.source in (base.status, "*") and may_run(transition, base, user)
        if fits and transition.name not in names:
            names.append(transition.name)
    return names


def recent_activity_for(user: User, limit: int = 10) -> list[tuple[StateLog, PilotBase]]:
    """The latest logged steps on bases in the user's scope."""
    content_type = ContentType.objects.get_for_model(PilotBase)
    logs = StateLog.objects.filter(content_type=content_type)
    if not sees_every_base(user):
        logs = logs.filter(object_id__in=base_list_for(user).values("pk"))
    # Ordered as the index statelog_recent_idx (bases migration 0005) so only `limit` rows are read.
    logs = list(logs.select_related("by", "content_type").order_by("-timestamp", "-pk")[:limit])
    bases = PilotBase.objects.in_bulk({log.object_id for log in logs})
    return [(log, bases[log.object_id]) for log in logs if log.object_id in bases]
