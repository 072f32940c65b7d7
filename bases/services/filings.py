"""Every write of the host's filings after approval (Art. 8-4, 6-3, 14): the task book, extension
requests, acceptance applications and change requests, and what their approval does to the base.

The chain is the same for all four (bases.models.filings.Filing): base staff prepare, the host
approver submits, the supervising unit approves or returns, the bureau approves, returns or refuses.
Each step locks the filing and its base, checks the page's state and the actor's right, logs the step
(portal.workflow) and tells the next person.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import AnnualReport, Evaluation
from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.models import (
    AcceptanceApplication,
    BaseChange,
    ChangeKind,
    ChangeRequest,
    ExtensionRequest,
    Filing,
    FilingState,
    Milestone,
    PilotBase,
    Status,
    TaskBook,
)
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
from bases.selectors import bureau_users, host_users, supervisor_users
from portal.accounts.models import Role, User
from portal.documents.services import attachment_create
from portal.notifications.services import notify
from portal.parameters import get_parameter
from portal.text import local_date
from portal.workflow.services import (
    check_expected_state,
    check_transition,
    lock,
    log_creation,
    run_transition,
)

KINDS: dict[str, type[Filing]] = {
    "task-book": TaskBook,
    "extension": ExtensionRequest,
    "acceptance": AcceptanceApplication,
    "change": ChangeRequest,
    "annual-report": AnnualReport,  # Art. 15 (assessments): opened by the bureau's reporting round
    "evaluation": Evaluation,  # Art. 17 (assessments): opened by the bureau's evaluation round
}
# Filings the bureau opens for the host (the host fills and submits them but does not start them).
OPENED_BY_BUREAU = {"annual-report", "evaluation"}
KIND_OF = {model: key for key, model in KINDS.items()}
CONTENT_FIELDS = {
    "task-book": [
        "goals",
        "construction_content",
        "staffing",
        "equipment_plan",
        "expected_outputs",
        "other_funding",
    ],
    "extension": ["reasons", "months_requested"],
    "acceptance": ["summary", "outputs", "fund_usage"],
    "change": ["kind", "report", "new_name", "new_rd_direction", "new_host"],
    "annual-report": [
        "summary",
        "projects",
        "patents",
        "standards",
        "enterprises_served",
        "pilot_runs",
        "revenue_wan",
        "staff",
        "plan",
    ],
    "evaluation": ["self_evaluation"],
}
REASON_STEPS = {"supervisor_return", "bureau_return", "refuse"}
# Steps the bureau takes on the filing's own page; an acceptance application is accepted for review
# when the bureau forms its acceptance panel (reviews.services.panels).
STEP_NAMES = ("submit", "supervisor_approve", "supervisor_return", "approve", "bureau_return", "refuse")


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def kind_of(filing: Filing) -> str:
    return KIND_OF[type(filing)]


def filing_url(filing: Filing) -> str:
    return reverse("bases:filing", args=[kind_of(filing), filing.pk])


def _tell(filing: Filing, recipients, title, body="") -> None:
    notify(recipients=list(recipients), title=title, body=body, url=filing_url(filing), target=filing)


def _check_host(actor: User, base: PilotBase) -> None:
    if actor.role not in (Role.BASE_STAFF, Role.HOST_APPROVER) or actor.organisation_id != base.host_id:
        raise PermissionRefused(_("只有依托单位的人员可以填报。"))


# --- what may be filed when -------------------------------------------------------------------------
def can_file(kind: str, base: PilotBase, today: date | None = None) -> str | None:
    """None when a filing of this kind may be started for the base now, else why not (for the user)."""
    today = _today(today)
    if kind in OPENED_BY_BUREAU:
        return _("由市科技局开启报送后填写。")
    model = KINDS[kind]
    open_ones = model.objects.filter(base=base, state__in=_OPEN)
    if kind == "task-book":
        if base.status != Status.APPROVED:
            return _("批准立项后、开始建设前填报建设计划任务书。")
        if TaskBook.objects.filter(base=base).exists():
            return _("该基地已有建设计划任务书。")
        return None
    if open_ones.exists():
        return _("该基地已有一份正在办理的%(what)s。") % {"what": model._meta.verbose_name}
    if kind == "extension":
        return _extension_problem(base, today)
    if kind == "acceptance":
        return _acceptance_problem(base, today)
    if kind == "change":
        if base.status not in (Status.UNDER_CONSTRUCTION, Status.RECOGNIZED):
            return _("建设期内或认定后的基地才能申请变更。")
        return None
    return None


_OPEN = {FilingState.DRAFT, FilingState.SUBMITTED, FilingState.SUPERVISOR_APPROVED, FilingState.RETURNED}


def _clock(base: PilotBase, returned_on: date | None = None) -> date:
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


def _extension_problem(base: PilotBase, today: date, returned_on: date | None = None) -> str | None:
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
        closes = _clock(base, returned_on)
        if today > closes:
            return _("验收未通过后申请延期的期限已于 %(on)s 届满，不能再申请延期。") % {
                "on": local_date(closes)
            }
        return None
    return _("只有建设中或验收未通过的基地可以申请延期。")


def _acceptance_problem(base: PilotBase, today: date, returned_on: date | None = None) -> str | None:
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


# --- drafting -------------------------------------------------------------------------------------
def _clean(kind: str, base: PilotBase, data: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in CONTENT_FIELDS[kind] if name in data}
    for name, value in list(values.items()):
        if isinstance(value, str):
            values[name] = value.strip()
    errors = {}
    if kind == "extension":
        months = values.get("months_requested")
        if not isinstance(months, int) or not 1 <= months <= MAX_EXTENSION_MONTHS:
            errors["months_requested"] = _("延期月数须为 1 至 12 个月（第八条第（四）项）。")
    if kind == "change":
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
    if errors:
        raise ApplicationInvalid(" ".join(errors.values()), field_errors=errors)
    return values


def _save_milestones(task_book: TaskBook, milestones: Sequence[Mapping] | None) -> None:
    if milestones is None:
        return
    task_book.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(
            task_book=task_book,
            year=row["year"],
            content=row["content"],
            self_raised_wan=row.get("self_raised_wan") or 0,
            position=i,
        )
        for i, row in enumerate(milestones)
    )


def _attach(filing: Filing, files: Iterable, actor: User) -> None:
    for file in files:
        try:
            attachment_create(owner=filing, purpose="filing", file=file, uploaded_by=actor)
        except ValidationError as exc:
            raise ApplicationInvalid(
                " ".join(exc.messages), field_errors={"files": " ".join(exc.messages)}
            ) from exc


@transaction.atomic
def filing_create(
    *,
    actor: User,
    base: PilotBase,
    kind: str,
    data: Mapping[str, Any],
    milestones: Sequence[Mapping] | None = None,
    files: Iterable = (),
    today: date | None = None,
) -> Filing:
    """Base staff or the host approver start a filing of `kind` for their own base."""
    base = lock(base)
    _check_host(actor, base)
    problem = can_file(kind, base, today)
    if problem:
        raise TransitionRefused(problem)
    values = _clean(kind, base, data)
    try:
        with transaction.atomic():
            filing = KINDS[kind].objects.create(base=base, created_by=actor, **values)
    except IntegrityError as exc:  # a second request raced this one
        raise TransitionRefused(_("该基地已有一份正在办理的同类申请。")) from exc
    if isinstance(filing, TaskBook):
        _save_milestones(filing, milestones)
    _attach(filing, files, actor)
    log_creation(instance=filing, actor=actor, field="state")
    return filing


@transaction.atomic
def filing_update(
    *,
    actor: User,
    filing: Filing,
    data: Mapping[str, Any],
    milestones: Sequence[Mapping] | None = None,
    files: Iterable = (),
) -> Filing:
    filing = lock(filing)
    _check_host(actor, filing.base)
    if not filing.is_editable:
        raise TransitionRefused(_("已提交的申请不能修改；退回后可以修改。"))
    values = _clean(kind_of(filing), filing.base, data)
    for name, value in values.items():
        setattr(filing, name, value)
    filing.save()
    if isinstance(filing, TaskBook):
        _save_milestones(filing, milestones)
    _attach(filing, files, actor)
    return filing


# --- the chain ------------------------------------------------------------------------------------
def _returned_on(filing: Filing) -> date | None:
    return filing.returned_on if filing.state == FilingState.RETURNED else None


def _submit_guard(filing: Filing, today: date) -> None:
    base = filing.base
    if isinstance(filing, TaskBook):
        if not filing.milestones.exists():
            raise TransitionRefused(_("请填写年度建设任务与自筹资金预算。"))
    elif isinstance(filing, AcceptanceApplication):
        problem = _acceptance_problem(base, today, _returned_on(filing))
        if problem:
            raise TransitionRefused(problem)
    elif isinstance(filing, ExtensionRequest):
        problem = _extension_problem(base, today, _returned_on(filing))
        if problem:
            raise TransitionRefused(problem)
    elif isinstance(filing, AnnualReport):
        if not filing.summary or not filing.plan:
            raise TransitionRefused(_("请填写上年度工作总结和本年度工作计划。"))
    elif isinstance(filing, Evaluation) and not filing.self_evaluation:
        raise TransitionRefused(_("请填写自评报告。"))


@transaction.atomic
def filing_step(
    *,
    actor: User,
    filing: Filing,
    action: str,
    comment: str = "",
    months_granted: int | None = None,
    expected_state: str | None = None,
    today: date | None = None,
) -> Filing:
    """Run one step of the chain on a filing, and what the step does to its base."""
    if action not in STEP_NAMES:
        raise TransitionRefused(_("无此操作。"))
    today = _today(today)
    filing = lock(filing)
    base = lock(filing.base)
    filing.base = base
    check_expected_state(filing, expected_state, field="state")
    check_transition(instance=filing, transition=action, actor=actor)
    comment = (comment or "").strip()
    if action in REASON_STEPS and not comment:
        raise TransitionRefused(_("请写明理由。"))
    if isinstance(filing, AcceptanceApplication) and action == "approve":
        raise TransitionRefused(_("验收申请由市科技局组建验收专家组受理，请在“专家评审”中组建验收专家组。"))
    if action == "refuse" and not isinstance(filing, (ExtensionRequest, ChangeRequest)):
        raise TransitionRefused(_("该事项只能批准或退回修改。"))
    changes: dict[str, Any] = {}
    if action == "submit":
        _submit_guard(filing, today)
        changes["submitted_on"] = today
    if action in ("approve", "refuse"):
        changes["decided_on"] = today
    if action in ("supervisor_return", "bureau_return"):
        changes["returned_on"] = today  # the resubmission period runs from here (Art. 8-4, portal rule)
    if isinstance(filing, ExtensionRequest) and action == "approve":
        granted = months_granted or filing.months_requested
        if not 1 <= granted <= filing.months_requested:
            raise TransitionRefused(
                _("批准的延期月数须在 1 至申请的 %(n)d 个月之间。") % {"n": filing.months_requested}
            )
        changes["months_granted"] = granted
    run_transition(instance=filing, transition=action, actor=actor, comment=comment, changes=changes)
    _apply(filing, action, actor, today)
    _announce_step(filing, action, comment)
    return filing


def _apply(filing: Filing, action: str, actor: User, today: date) -> None:
    """What a step does to the base, in the same transaction."""
    base = filing.base
    if isinstance(filing, AcceptanceApplication):
        if action == "submit":
            run_transition(
                instance=base, transition="apply_acceptance", actor=actor, comment=_("提交验收申请。")
            )
        elif action in ("supervisor_return", "bureau_return"):
            run_transition(
                instance=base, transition="return_acceptance", actor=actor, comment=_("验收申请被退回。")
            )
        return
    if action != "approve":
        return
    if isinstance(filing, TaskBook):
        deadline = construction_deadline(base.approved_on, base.extension_months)
        run_transition(
            instance=base,
            transition="start_construction",
            actor=actor,
            comment=_("建设计划任务书已批准，建设期自 %(start)s 至 %(end)s。")
            % {"start": local_date(base.approved_on), "end": local_date(deadline)},
            changes={"construction_deadline": deadline},
        )
    elif isinstance(filing, ExtensionRequest):
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
    elif isinstance(filing, ChangeRequest):
        _apply_change(filing, actor, today)


def _record(base: PilotBase, request: ChangeRequest, field: str, old, new, today: date) -> None:
    BaseChange.objects.create(
        base=base, request=request, field=field, old_value=str(old), new_value=str(new), changed_on=today
    )


def _apply_change(request: ChangeRequest, actor: User, today: date) -> None:
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
        from bases.permissions import base_assign_permissions

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


def _announce_step(filing: Filing, action: str, comment: str) -> None:
    base = filing.base
    what = filing._meta.verbose_name
    params = {"what": what, "name": base.name}
    if action == "submit":
        _tell(filing, supervisor_users(base), (gettext_lazy("待审核：%(name)s %(what)s"), params))
    elif action == "supervisor_approve":
        _tell(filing, bureau_users(), (gettext_lazy("待审批：%(name)s %(what)s"), params))
    elif action in ("supervisor_return", "bureau_return"):
        _tell(filing, host_users(base), (gettext_lazy("%(what)s被退回修改：%(name)s"), params), comment)
    elif action == "approve":
        _tell(
            filing,
            [*host_users(base), *supervisor_users(base)],
            (gettext_lazy("%(what)s已批准：%(name)s"), params),
        )
    elif action == "refuse":
        _tell(
            filing,
            [*host_users(base), *supervisor_users(base)],
            (gettext_lazy("%(what)s不予批准：%(name)s"), params),
            comment,
        )


# --- acceptance panels (reviews.services.panels calls these) ----------------------------------------
def acceptance_open_for_panel(*, actor: User, base: PilotBase) -> None:
    """The bureau forms the acceptance panel: the supervisor-approved application is accepted and the
    base moves into acceptance review (Art. 8-4)."""
    base = lock(base)
    application = (
        AcceptanceApplication.objects.select_for_update()
        .filter(base=base, state=FilingState.SUPERVISOR_APPROVED)
        .first()
    )
    if application is None:
        raise TransitionRefused(_("“%(name)s”的验收申请尚未经归口管理单位审核通过。") % {"name": base.name})
    run_transition(
        instance=application,
        transition="approve",
        actor=actor,
        comment=_("受理验收申请，组建验收专家组。"),
        changes={"decided_on": timezone.localdate()},
    )
    run_transition(
        instance=base, transition="start_acceptance_review", actor=actor, comment=_("组建验收专家组。")
    )


def acceptance_conclude(
    *, actor: User, base: PilotBase, passed: bool, comment: str, today: date | None = None
) -> None:
    """Art. 8-4: the acceptance panel's conclusion. Pass → recognized (the roster; a new base gets its
    award); fail → acceptance_failed, and revoked at once when the extension was already used."""
    from bases.services import announce, base_revoke, host_and_supervisor
    from bases.services.funds import award_create

    today = _today(today)
    base = lock(base)
    if passed:
        run_transition(
            instance=base,
            transition="acceptance_pass",
            actor=actor,
            comment=comment,
            changes={"recognized_on": today},
        )
        if base.is_new_application():
            award_create(base=base, today=today)
        announce(
            base,
            host_and_supervisor(base),
            (gettext_lazy("验收通过，已列入市中试基地序列：%(name)s"), {"name": base.name}),
            comment,
        )
        return
    run_transition(
        instance=base,
        transition="acceptance_fail",
        actor=actor,
        comment=comment,
        changes={"acceptance_failed_on": today},
    )
    if base.extension_used:
        base_revoke(
            actor=actor,
            base=base,
            reason_code="construction_not_accepted",
            note=_("延期后仍未通过验收，依第八条第（四）项撤销。"),
            today=today,
        )
    else:
        closes = _clock(base)
        announce(
            base,
            host_and_supervisor(base),
            (gettext_lazy("验收未通过：%(name)s"), {"name": base.name}),
            (
                gettext_lazy(
                    "如有特殊原因，可在 %(on)s 前申请延期（最多12个月）；逾期未申请的，该基地将被撤销。"
                ),
                {"on": local_date(closes)},
            ),
        )
