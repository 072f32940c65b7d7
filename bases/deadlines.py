"""When each waiting item of the workspace (我的待办) is due: the rules of bases.policy applied to the
rows the to-do lists already read, with the bureau's parameters read once per page — never a query
per item. An item with no rule for its state has no due date and is listed after those that have one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from bases import policy
from bases.models import FilingState, Status
from portal.parameters import get_parameters


@dataclass(frozen=True)
class Due:
    """A due date seen from ``today``: days left (negative: overdue)."""

    on: date | None
    today: date

    @property
    def days_left(self) -> int | None:
        return None if self.on is None else (self.on - self.today).days

    @property
    def overdue(self) -> bool:
        return self.on is not None and self.on < self.today

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.overdue else 0

    @property
    def sort_key(self) -> tuple:
        """Overdue first, then the nearest due date; no due date last."""
        return (self.on is None, self.on or date.max)


PARAMETER_KEYS = (
    "task_book_reminder_days",
    "returned_filing_resubmit_days",
    "failed_acceptance_extension_months",
)


def parameters() -> dict:
    return get_parameters(PARAMETER_KEYS)


def _day(moment: datetime | date | None) -> date | None:
    if isinstance(moment, datetime):
        return timezone.localdate(moment)
    return moment


def base_due_on(base, params: dict, *, notice_ends_on=None, panel_due_on=None) -> date | None:
    """The day by which the waiting base's current step is due.

    - approved, task book not yet filed: ``task_book_reminder_days`` after approval, the day the
      reminder goes out (Art. 8-4: 依据立项建设通知填报任务书);
    - returned for changes: ``returned_filing_resubmit_days`` after the return (portal rule);
    - acceptance failed: the last day to request the one extension (Art. 8-4, extension_request_closes);
    - in its public notice: the notice's last day (Art. 8-3); in expert review: the panel's scoring due date.
    """
    status = base.status
    if status == Status.APPROVED and base.approved_on:
        return base.approved_on + timedelta(days=params["task_book_reminder_days"])
    if status == Status.RETURNED and base.status_changed_at:
        return policy.resubmission_closes(
            _day(base.status_changed_at), params["returned_filing_resubmit_days"]
        )
    if status == Status.ACCEPTANCE_FAILED and base.construction_deadline:
        return policy.extension_request_closes(
            base.construction_deadline,
            _day(base.status_changed_at),
            params["failed_acceptance_extension_months"],
        )
    if status == Status.IN_NOTICE:
        return notice_ends_on
    if status == Status.EXPERT_REVIEW:
        return panel_due_on
    return None


def filing_due_on(kind: str, filing, params: dict) -> date | None:
    """The day by which a waiting filing is due: a returned one may be resubmitted for
    ``returned_filing_resubmit_days`` (portal rule); a draft acceptance application by the end of the
    acceptance window, a draft extension request by the construction deadline (Art. 8-4); a draft
    annual report by the report's due date (Art. 15)."""
    if filing.state == FilingState.RETURNED:
        return policy.resubmission_closes(_day(filing.updated_at), params["returned_filing_resubmit_days"])
    if filing.state != FilingState.DRAFT:
        return None
    deadline = getattr(filing.base, "construction_deadline", None)
    if kind == "acceptance" and deadline:
        return policy.acceptance_window_closes(deadline)
    if kind == "extension" and deadline:
        return policy.extension_request_closes(deadline)
    if kind == "annual-report":
        return filing.round.due_on  # the round's due date, set from the parameters when it opened
    return None
