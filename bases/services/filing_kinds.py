"""The four kinds of filing of a base under construction (Art. 8-4, 6-3, 14) and what the chain does
for each: when one may be started, the rules of its content, when it may be submitted, and what its
approval (or, for an acceptance application, its submission and return) does to the base.

Registered with bases.filing_kinds by bases.registrations; the chain itself is bases.services.filings.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from bases.exceptions import TransitionRefused
from bases.filing_kinds import FilingKind
from bases.forms import AcceptanceForm, ChangeForm, ExtensionForm, MilestoneFormSet, TaskBookForm
from bases.models import (
    BaseChange,
    ChangeKind,
    ChangeRequest,
    ExtensionRequest,
    FilingState,
    Milestone,
    PilotBase,
    Status,
    TaskBook,
)
from bases.permissions import base_assign_permissions
from bases.policy import (
    MAX_EXTENSION_MONTHS,
    NAME_PREFIX,
    NAME_SUFFIX,
    acceptance_window_closes,
    base_name_problem,
    construction_clock_closes,
    construction_deadline,
    resubmission_closes,
)
from portal.parameters import get_parameter
from portal.text import local_date
from portal.workflow.services import run_transition


def returned_on(filing) -> date | None:
    """When a returned filing was returned (its resubmission period runs from then), else None."""
    return filing.returned_on if filing.state == FilingState.RETURNED else None


def construction_clock(base: PilotBase, returned_on: date | None = None) -> date:
    """Art. 8-4: the last day the host can act for this base (bases.policy.construction_clock_closes),
    with the bureau's parameters."""
    failed_on = base.acceptance_failed_on if base.status == Status.ACCEPTANCE_FAILED else None
    return construction_clock_closes(
        base.construction_deadline,
        failed_on=failed_on,
        returned_on=returned_on,
        months_after_failure=get_parameter("failed_acceptance_extension_months"),
        resubmit_days=get_parameter("returned_filing_resubmit_days"),
    )


def _resubmission_open(returned_on: date | None, today: date) -> date | None:
    """The last day a returned filing may be resubmitted when that is what keeps it open, else None."""
    if returned_on is None:
        return None
    closes = resubmission_closes(returned_on, get_parameter("returned_filing_resubmit_days"))
    return closes if today <= closes else None


def extension_problem(base: PilotBase, today: date, returned_on: date | None = None) -> str | None:
    """Art. 8-4: requested before the construction deadline (after a failed acceptance: within the
    portal's period from the bureau's conclusion, never before the acceptance window closes), once per
    base; a request the county or the bureau returned may be resubmitted within the portal's period
    from the return (bases.policy.construction_clock_closes)."""
    if base.extension_used or ExtensionRequest.objects.filter(base=base, state=FilingState.APPROVED).exists():
        return _("该基地已批准过一次延期，不能再次延期（第八条第（四）项）。")
    if base.status == Status.UNDER_CONSTRUCTION:
        if base.construction_deadline and today > base.construction_deadline:
            if _resubmission_open(returned_on, today):
                return None
            if returned_on is not None:
                return _("退回修改的延期申请须在 %(on)s 前重新提交，已逾期。") % {
                    "on": local_date(
                        resubmission_closes(returned_on, get_parameter("returned_filing_resubmit_days"))
                    )
                }
            return _("建设期已于 %(on)s 届满，不能再申请延期。") % {
                "on": local_date(base.construction_deadline)
            }
        return None
    if base.status == Status.ACCEPTANCE_FAILED:
        closes = construction_clock(base, returned_on)
        if today > closes:
            return _("验收未通过后申请延期的期限已于 %(on)s 届满，不能再申请延期。") % {
                "on": local_date(closes)
            }
        return None
    return _("只有建设中或验收未通过的基地可以申请延期。")


def acceptance_problem(base: PilotBase, today: date, returned_on: date | None = None) -> str | None:
    """Art. 8-4: no later than one month after the construction deadline; an application the county
    or the bureau returned may be resubmitted within the portal's period from the return."""
    if base.status != Status.UNDER_CONSTRUCTION:
        return _("建设中的基地才能申请验收。")
    closes = acceptance_window_closes(base.construction_deadline)
    if today > closes:
        if _resubmission_open(returned_on, today):
            return None
        if returned_on is not None:
            return _("退回修改的验收申请须在 %(on)s 前重新提交，已逾期。") % {
                "on": local_date(
                    max(
                        closes,
                        resubmission_closes(returned_on, get_parameter("returned_filing_resubmit_days")),
                    )
                )
            }
        return _("验收申请须在建设期满后1个月内（%(on)s 前）提出，已逾期。") % {"on": local_date(closes)}
    return None


class TaskBookKind(FilingKind):
    """建设计划任务书 (Art. 8-4): one per base, filed after approval; its approval starts construction."""

    key = "task-book"
    form = TaskBookForm
    hidden_steps = frozenset({"refuse"})

    def start_problem(self, base, today):
        if base.status != Status.APPROVED:
            return _("批准立项后、开始建设前填报建设计划任务书。")
        if TaskBook.objects.filter(base=base).exists():
            return _("该基地已有建设计划任务书。")
        return None

    def formset(self, data=None, *, base=None, filing=None):
        if filing is not None:
            initial = [
                {"year": m.year, "content": m.content, "self_raised_wan": m.self_raised_wan}
                for m in filing.milestones.all()
            ]
        else:
            initial = [{"year": base.approved_on.year + i} for i in range(2)] if base.approved_on else []
        return MilestoneFormSet(data, initial=initial, prefix="milestones")

    def save_rows(self, filing, rows: Sequence[Mapping] | None) -> None:
        if rows is None:
            return
        filing.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(
                task_book=filing,
                year=row["year"],
                content=row["content"],
                self_raised_wan=row.get("self_raised_wan") or 0,
                position=i,
            )
            for i, row in enumerate(rows)
        )

    def submit_problem(self, filing, today):
        if not filing.milestones.exists():
            return _("请填写年度建设任务与自筹资金预算。")
        return None

    def after_step(self, filing, action, actor, today):
        if action != "approve":
            return
        base = filing.base
        deadline = construction_deadline(base.approved_on, base.extension_months)
        run_transition(
            instance=base,
            transition="start_construction",
            actor=actor,
            comment=_("建设计划任务书已批准，建设期自 %(start)s 至 %(end)s。")
            % {"start": local_date(base.approved_on), "end": local_date(deadline)},
            changes={"construction_deadline": deadline},
        )


class ExtensionKind(FilingKind):
    """延期 (Art. 8-4): once per base, at most 12 months; the bureau may grant fewer."""

    key = "extension"
    form = ExtensionForm
    may_refuse = True

    def start_problem(self, base, today):
        return super().start_problem(base, today) or extension_problem(base, today)

    def clean(self, base, values):
        months = values.get("months_requested")
        if not isinstance(months, int) or not 1 <= months <= MAX_EXTENSION_MONTHS:
            return {"months_requested": _("延期月数须为 1 至 12 个月（第八条第（四）项）。")}
        return {}

    def submit_problem(self, filing, today):
        return extension_problem(filing.base, today, returned_on(filing))

    def approval_changes(self, filing, months_granted):
        granted = months_granted or filing.months_requested
        if not 1 <= granted <= filing.months_requested:
            raise TransitionRefused(
                _("批准的延期月数须在 1 至申请的 %(n)d 个月之间。") % {"n": filing.months_requested}
            )
        return {"months_granted": granted}

    def after_step(self, filing, action, actor, today):
        if action != "approve":
            return
        base = filing.base
        months = filing.months_granted
        deadline = construction_deadline(base.approved_on, months)
        base.extension_months, base.construction_deadline = months, deadline
        base.save(update_fields=["extension_months", "construction_deadline", "updated_at"])
        if base.status == Status.ACCEPTANCE_FAILED:
            run_transition(
                instance=base,
                transition="resume_construction",
                actor=actor,
                comment=_("批准延期 %(n)d 个月，建设期延至 %(on)s。")
                % {"n": months, "on": local_date(deadline)},
            )


class AcceptanceKind(FilingKind):
    """验收申请 (Art. 8-4): its submission moves the base into acceptance, its return back into
    construction; the bureau accepts it by forming the acceptance panel (reviews)."""

    key = "acceptance"
    form = AcceptanceForm
    approved_by_panel = True
    hidden_steps = frozenset({"approve"})

    def start_problem(self, base, today):
        return super().start_problem(base, today) or acceptance_problem(base, today)

    def submit_problem(self, filing, today):
        return acceptance_problem(filing.base, today, returned_on(filing))

    def after_step(self, filing, action, actor, today):
        if action == "submit":
            run_transition(
                instance=filing.base, transition="apply_acceptance", actor=actor, comment=_("提交验收申请。")
            )
        elif action in ("supervisor_return", "bureau_return"):
            run_transition(
                instance=filing.base,
                transition="return_acceptance",
                actor=actor,
                comment=_("验收申请被退回。"),
            )


class ChangeRequestKind(FilingKind):
    """变更 (Art. 6-3, 14): approval applies the change and keeps the former values."""

    key = "change"
    form = ChangeForm
    may_refuse = True

    def start_problem(self, base, today):
        problem = super().start_problem(base, today)
        if problem:
            return problem
        if base.status not in (Status.UNDER_CONSTRUCTION, Status.RECOGNIZED):
            return _("建设期内或认定后的基地才能申请变更。")
        return None

    def clean(self, base, values: Mapping[str, Any]) -> dict[str, str]:
        errors = {}
        change = values.get("kind")
        if change == ChangeKind.RENAME:
            problem = base_name_problem(values.get("new_name"))
            if not problem and values.get("new_name") == base.name:
                problem = _("新名称与现名称相同。")
            if problem:
                errors["new_name"] = problem
        if change == ChangeKind.DIRECTION:
            if not values.get("new_rd_direction"):
                errors["new_rd_direction"] = _("请填写新的研究方向。")
            problem = base_name_problem(values.get("new_name"), values.get("new_rd_direction"))
            if problem:
                errors["new_name"] = _("研究方向变更后基地名称须随之变更：%(problem)s") % {"problem": problem}
        if change == ChangeKind.HOST and not values.get("new_host"):
            errors["new_host"] = _("请选择新的依托单位。")
        if change == ChangeKind.LEGAL_ENTITY and base.status != Status.RECOGNIZED:
            errors["kind"] = _("已认定的基地发生法人主体或所有制变更时才需重新认定。")
        return errors

    def after_step(self, filing, action, actor, today):
        if action == "approve":
            _apply_change(filing, actor, today)


def _record(base: PilotBase, request: ChangeRequest, field: str, old, new, today: date) -> None:
    BaseChange.objects.create(
        base=base, request=request, field=field, old_value=str(old), new_value=str(new), changed_on=today
    )


def _apply_change(request: ChangeRequest, actor, today: date) -> None:
    """Art. 14: apply an approved change and keep the former values."""
    base = request.base
    if request.kind in (ChangeKind.RENAME, ChangeKind.DIRECTION):
        if request.new_name and request.new_name != base.name:
            _record(base, request, "name", base.name, request.new_name, today)
            base.name = request.new_name
        # Art. 18: the name carries the R&D direction, so the two change together
        direction = (
            request.new_rd_direction or base.name[len(NAME_PREFIX) : len(base.name) - len(NAME_SUFFIX)]
        )
        if direction != base.rd_direction:
            _record(base, request, "rd_direction", base.rd_direction, direction, today)
            base.rd_direction = direction
        base.save(update_fields=["name", "rd_direction", "updated_at"])
    elif request.kind == ChangeKind.HOST:
        new_host = request.new_host
        _record(base, request, "host", base.host.name, new_host.name, today)
        base.host, base.supervising_unit = new_host, new_host.supervising_unit
        base.save(update_fields=["host", "supervising_unit", "updated_at"])
        base_assign_permissions(base)
    elif request.kind == ChangeKind.LEGAL_ENTITY:
        run_transition(
            instance=base,
            transition="require_re_recognition",
            actor=actor,
            comment=_("依托单位法人主体或所有制结构变更，需重新认定（第十四条）。"),
        )
    else:  # restructuring: recorded on the base's history
        _record(base, request, "structure", "", request.report[:300], today)
