"""The two shapes of a step on a base: one with no guard of its own, and a decision that must give
its reason (which may end a re-recognition's predecessor, Art. 14)."""

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
