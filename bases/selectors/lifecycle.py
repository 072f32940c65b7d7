"""The lifecycle bar of every page of a base: its ten steps under the Measures and the current one's
deadline."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from bases import policy
from bases.extensions import STATUS_DEADLINES
from bases.models import PilotBase, Status

# --- the lifecycle bar of every page of a base -------------------------------------------------------


@dataclass(frozen=True)
class LifecycleStep:
    key: str
    label: str
    state: str  # "done", "current", "stopped" (where a rejected/withdrawn/revoked base ended) or "todo"
    deadline: object = None  # a date, shown on the current step only
    deadline_label: str = ""


# The ten steps of a base's life under the Measures: application and the county's recommendation
# (Art. 8-1, 8-2), the bureau's preliminary check and the expert review (Art. 8-2), the public notice
# and the Party-group decision (Art. 8-3), construction and acceptance (Art. 8-4), recognition and the
# yearly assessment (Art. 8-5, Art. 15, Art. 16).
LIFECYCLE_STEPS = (
    ("apply", _("申请")),
    ("recommend", _("推荐")),
    ("preliminary", _("初审")),
    ("review", _("评审")),
    ("notice", _("公示")),
    ("approve", _("批准")),
    ("construct", _("建设")),
    ("accept", _("验收")),
    ("recognise", _("认定")),
    ("assess", _("年度考核")),
)

# The step each live state is at: the step whose action is awaited (a base that passed the expert review
# waits for its public notice, so it is at the notice step).
STEP_OF_STATE = {
    Status.DRAFT: "apply",
    Status.RETURNED: "apply",
    Status.SUBMITTED: "recommend",
    Status.RECOMMENDED: "preliminary",
    Status.PRELIMINARY_PASSED: "review",
    Status.EXPERT_REVIEW: "review",
    Status.REVIEW_PASSED: "notice",
    Status.IN_NOTICE: "notice",
    Status.NOTICE_CLEARED: "approve",
    Status.APPROVED: "construct",
    Status.UNDER_CONSTRUCTION: "construct",
    Status.ACCEPTANCE_APPLIED: "accept",
    Status.ACCEPTANCE_REVIEW: "accept",
    Status.ACCEPTANCE_FAILED: "accept",
    Status.RE_RECOGNITION_REQUIRED: "recognise",
    Status.RECOGNIZED: "assess",
}


def base_lifecycle(base: PilotBase, today) -> list[LifecycleStep]:
    """The base's progress through LIFECYCLE_STEPS with the current step's deadline, for the bar on
    every page of a base (templates/bases/partials/_lifecycle.html through `{% base_lifecycle %}`).

    The deadlines are those of bases.policy: the end of the construction period (Art. 8-4), after a
    failed acceptance the last day to request the extension (Art. 8-4), the end of the public notice
    (Art. 8-3), the next annual report (Art. 15). At most one query: the running notice's end, or, for
    a rejected or withdrawn base, the state it left.
    """
    stopped = base.is_terminal
    current = _step_where_stopped(base) if stopped else STEP_OF_STATE.get(base.status, "apply")
    deadline, deadline_label = (None, "") if stopped else _deadline_of(base, today)
    keys = [key for key, _label in LIFECYCLE_STEPS]
    at = keys.index(current)
    steps = []
    for index, (key, label) in enumerate(LIFECYCLE_STEPS):
        if index < at:
            state = "done"
        elif index == at:
            state = "stopped" if stopped else "current"
        else:
            state = "todo"
        steps.append(
            LifecycleStep(
                key,
                label,
                state,
                deadline if state == "current" else None,
                deadline_label if state == "current" else "",
            )
        )
    return steps


def _step_where_stopped(base: PilotBase) -> str:
    """Where a base that left the procedure stopped. A revoked base (Art. 8-4, 16, 17) and a superseded
    one (Art. 14) tell from their dates; a rejected or withdrawn one from the state it left."""
    if base.status == Status.SUPERSEDED:
        return "recognise"
    if base.status == Status.REVOKED:
        if base.recognized_on:
            return "assess"
        return "accept" if base.acceptance_failed_on else "construct"
    source = (
        StateLog.objects.for_(base)
        .filter(state=base.status)
        .order_by("-timestamp", "-pk")
        .values_list("source_state", flat=True)
        .first()
    )
    return STEP_OF_STATE.get(source, "apply")


def _deadline_of(base: PilotBase, today):
    status = base.status
    if status in (Status.APPROVED, Status.UNDER_CONSTRUCTION) and base.construction_deadline:
        return base.construction_deadline, _("建设期满")
    if status == Status.ACCEPTANCE_FAILED and base.construction_deadline:
        failed_on = base.acceptance_failed_on
        closes = policy.construction_clock_closes(base.construction_deadline, failed_on=failed_on)
        return closes, _("延期申请截止")
    if status in STATUS_DEADLINES:  # e.g. the public notice's end (Art. 8-3), from the reviews app
        return STATUS_DEADLINES[status](base, today)
    if status == Status.RECOGNIZED:
        due = policy.annual_report_due(today.year - 1)
        if due < today:
            due = policy.annual_report_due(today.year)
        return due, _("年度报告截止")
    return None, ""
