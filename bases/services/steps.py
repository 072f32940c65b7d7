"""The two shapes of a step on a base: one with no guard of its own, and a decision that must give
its reason (which may end a re-recognition's predecessor, Art. 14)."""

from django.db import transaction

from bases.models import PilotBase
from bases.services.common import announce, host_and_supervisor, require_reason
from bases.services.revocation import end_predecessor_if_failed
from portal.workflow.services import (
    check_expected_state,
    check_transition,
    lock,
    run_transition,
)


def run_step(
    *,
    actor,
    base,
    transition: str,
    title,
    comment: str = "",
    body="",
    expected_status: str | None = None,
    tell=None,
    actor_label: str = "",
) -> PilotBase:
    """A step with no guard of its own: lock, check the page's state, run and log the step, and
    tell `tell(base)` (by default the host unit and its supervisor) with `title` about the base."""
    base = lock(base)
    check_expected_state(base, expected_status)
    run_transition(
        instance=base, transition=transition, actor=actor, comment=comment, actor_label=actor_label
    )
    announce(base, (tell or host_and_supervisor)(base), (title, {"name": base.name}), body)
    return base


def decide_with_reason(
    *, actor, base, transition: str, reason: str, what, expected_status, title, tell, actor_label: str = ""
) -> PilotBase:
    """A decision that must give its reason: lock, check state and right, require the reason, run
    the step with the reason as its comment, and tell `tell(base)` with the reason as the body."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition=transition, actor=actor)
    reason = require_reason(reason, what)
    run_transition(instance=base, transition=transition, actor=actor, comment=reason, actor_label=actor_label)
    announce(base, tell(base), (title, {"name": base.name}), reason)
    end_predecessor_if_failed(base=base)
    return base


def step_service(transition: str, title, body=""):
    """The named service `base_<transition>` of a step with no guard of its own (run_step): one
    transaction; the caller gives a comment, the page's state and, for the daily job, actor_label."""

    @transaction.atomic
    def service(
        *, actor, base, comment: str = "", expected_status: str | None = None, actor_label: str = ""
    ) -> PilotBase:
        return run_step(
            actor=actor,
            base=base,
            transition=transition,
            comment=comment,
            expected_status=expected_status,
            actor_label=actor_label,
            title=title,
            body=body,
        )

    return _named(service, transition)


def decision_service(transition: str, what, title, tell=host_and_supervisor):
    """The named service `base_<transition>` of a decision that must give its reason
    (decide_with_reason): one transaction; `what` names the reason in the refusal when it is empty."""

    @transaction.atomic
    def service(
        *, actor, base, reason: str, expected_status: str | None = None, actor_label: str = ""
    ) -> PilotBase:
        return decide_with_reason(
            actor=actor,
            actor_label=actor_label,
            base=base,
            transition=transition,
            reason=reason,
            what=what,
            expected_status=expected_status,
            title=title,
            tell=tell,
        )

    return _named(service, transition)


def _named(service, transition: str):
    service.__name__ = service.__qualname__ = f"base_{transition}"
    return service
