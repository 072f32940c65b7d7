"""The one way any state machine of the portal changes state. Domain services lock the row, check their
own guards, then call run_transition, which checks the transition and its permission, runs it,
saves, and writes the log."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.base import File
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed
from django_fsm_log.models import StateLog

from portal.documents.services import attachment_create
from portal.exceptions import PermissionRefused, StaleState, TransitionRefused
from portal.workflow.models import TransitionRecord


def lock(instance: models.Model) -> models.Model:
    """Re-read the row with a lock for the rest of the transaction (a no-op lock on SQLite)."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def check_expected_state(instance: models.Model, expected: str | None, field: str = "status") -> None:
    """A page posts the state it showed; if another person acted first, say so instead of failing."""
    current = getattr(instance, field)
    if expected is not None and current != expected:
        label = getattr(instance, f"get_{field}_display")()
        raise StaleState(
            _("该事项已被他人处理，当前状态为“%(state)s”，请刷新页面后再操作。") % {"state": label}
        )


def transition_label(instance: models.Model, transition: str) -> str:
    method = getattr(type(instance), transition)
    return str(getattr(method, "label", transition))


def _state_field(instance: models.Model) -> str:
    """The FSM field of a record: "status" (pilot bases) unless its class names another."""
    return getattr(type(instance), "FSM_FIELD", "status")


def check_transition(*, instance: models.Model, transition: str, actor) -> None:
    """Refuse, with a message for the user, a step the state or the actor's rights do not allow.

    Services call it first, before their own guards, so that nobody learns more than they may."""
    method = getattr(instance, transition)
    field = _state_field(instance)
    if not can_proceed(method, check_conditions=False):
        raise StaleState(
            _("当前状态为“%(state)s”，不能执行“%(action)s”。请刷新页面查看最新状态。")
            % {
                "state": getattr(instance, f"get_{field}_display")(),
                "action": transition_label(instance, transition),
            }
        )
    if actor is not None and not method._django_fsm.has_transition_perm(
        instance, getattr(instance, field), actor
    ):
        raise PermissionRefused(
            _("您无权对此事项执行“%(action)s”。") % {"action": transition_label(instance, transition)}
        )


def run_transition(
    *,
    instance: models.Model,
    transition: str,
    actor,
    comment: str = "",
    reason_code: str = "",
    changes: Mapping[str, Any] | None = None,
    attachments: Iterable[tuple[str, File]] = (),
    actor_label: str = "",
    now=None,
    arguments: Mapping[str, Any] | None = None,
) -> StateLog:
    """Run `transition` on a locked instance inside the caller's transaction.

    `changes` are field values set together with the new state; `attachments` are (purpose, file)
    pairs stored on the log record. actor may be None only for automatic steps (give actor_label).
    """
    check_transition(instance=instance, transition=transition, actor=actor)
    if actor is None and not actor_label:
        raise ValueError("an automatic transition needs an actor_label")
    method = getattr(instance, transition)
    if not method._django_fsm.conditions_met(instance, getattr(instance, _state_field(instance))):
        raise TransitionRefused(
            _("条件不满足，不能执行“%(action)s”。") % {"action": transition_label(instance, transition)}
        )

    method(by=actor, description=comment or None, **(arguments or {}))
    for field, value in (changes or {}).items():
        setattr(instance, field, value)
    if hasattr(instance, "status_changed_at"):
        instance.status_changed_at = now or timezone.now()
    try:
        instance.save()
    except ConcurrentTransition as exc:
        raise StaleState(_("该事项刚刚已被他人处理，请刷新页面后再操作。")) from exc

    log = StateLog.objects.for_(instance).filter(transition=transition).order_by("-pk").first()
    record = TransitionRecord.objects.create(
        state_log=log,
        actor_role=getattr(actor, "role", "") or "",
        actor_organisation_id=getattr(actor, "organisation_id", None),
        actor_label=actor_label,
        reason_code=reason_code,
    )
    for purpose, file in attachments:
        attachment_create(owner=record, purpose=purpose, file=file, uploaded_by=actor)
    return log


def log_creation(*, instance: models.Model, actor, comment: str = "", field: str = "status") -> StateLog:
    """The first log row of a record: created in its initial state by the actor."""
    log = StateLog.objects.create(
        content_object=instance,
        source_state=None,
        state=getattr(instance, field),
        transition="create",
        by=actor,
        description=comment or None,
    )
    TransitionRecord.objects.create(
        state_log=log,
        actor_role=getattr(actor, "role", "") or "",
        actor_organisation_id=getattr(actor, "organisation_id", None),
    )
    return log
