"""The two shapes of a step on a base: one with no guard of its own, and a decision that must give
its reason (which may end a re-recognition's predecessor, Art. 14); and the factories that make a
named service of each, given the step's words."""

from functools import partial

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
    *,
    actor,
    base,
    transition: str,
    reason: str,
    what,
    title,
    tell,
    expected_status: str | None = None,
    actor_label: str = "",
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
    """The named service `base_<transition>` of a step with no guard of its own: run_step in one
    transaction, with this step's title and body; the caller gives what run_step takes besides."""
    return _named(partial(run_step, transition=transition, title=title, body=body), transition)


def decision_service(transition: str, what, title, tell=host_and_supervisor):
    """The named service `base_<transition>` of a decision that must give its reason:
    decide_with_reason in one transaction; `what` names the reason in the refusal when it is empty."""
    return _named(
        partial(decide_with_reason, transition=transition, what=what, title=title, tell=tell), transition
    )


def _named(step: partial, transition: str):
    service = transaction.atomic(step)
    service.__name__ = service.__qualname__ = f"base_{transition}"
    service.__module__ = step.func.__module__
    service.__doc__ = f"The step {transition!r} of a base, by {step.func.__name__} with its words."
    return service
