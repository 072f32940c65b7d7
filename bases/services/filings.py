"""Every write of the host's filings (Art. 8-4, 6-3, 14, 15, 17): the chain every kind of filing runs,
and the acceptance panel's opening and conclusion.

The chain is the same for every kind (bases.models.filings.Filing): base staff prepare, the host
approver submits, the supervising unit approves or returns, the bureau approves, returns or refuses.
Each step locks the filing and its base, checks the page's state and the actor's right, logs the step
(portal.workflow) and tells the next person. What differs by kind (when one may be started, the rules
of its content, what its approval does to the base) is the kind's: bases.filing_kinds.FilingKind,
bases' four in bases.services.filing_kinds, the assessments' in assessments.filings.
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

from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.filing_kinds import FILING_KINDS, FILING_MODELS, kind_of
from bases.models import AcceptanceApplication, Filing, FilingState, PilotBase
from bases.permissions import is_host_of
from bases.selectors import bureau_users, host_users, supervisor_users
from bases.services import announce, base_revoke, host_and_supervisor
from bases.services.filing_kinds import construction_clock
from bases.services.funds import award_create
from portal.accounts.models import User
from portal.documents.services import attachment_create
from portal.notifications.services import notify
from portal.text import local_date
from portal.workflow.services import (
    check_expected_state,
    check_transition,
    lock,
    log_creation,
    run_transition,
)

#: key → model of every kind of filing (bases.filing_kinds.FILING_MODELS; bases.selectors reads it here).
KINDS = FILING_MODELS
REASON_STEPS = {"supervisor_return", "bureau_return", "refuse"}
# Steps the bureau takes on the filing's own page; an acceptance application is accepted for review
# when the bureau forms its acceptance panel (reviews.services.panels).
STEP_NAMES = ("submit", "supervisor_approve", "supervisor_return", "approve", "bureau_return", "refuse")


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def filing_url(filing: Filing) -> str:
    return reverse("bases:filing", args=[kind_of(filing).key, filing.pk])


def _tell(filing: Filing, recipients, title, body="") -> None:
    notify(recipients=list(recipients), title=title, body=body, url=filing_url(filing), target=filing)


def _check_host(actor: User, base: PilotBase) -> None:
    if not is_host_of(actor, base):
        raise PermissionRefused(_("只有依托单位的人员可以填报。"))


# --- what may be filed when -------------------------------------------------------------------------
def can_file(kind: str, base: PilotBase, today: date | None = None) -> str | None:
    """None when a filing of this kind may be started for the base now, else why not (for the user)."""
    return FILING_KINDS[kind].start_problem(base, _today(today))


# --- drafting -------------------------------------------------------------------------------------
def _clean(kind: str, base: PilotBase, data: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in FILING_KINDS[kind].content_fields if name in data}
    for name, value in list(values.items()):
        if isinstance(value, str):
            values[name] = value.strip()
    errors = FILING_KINDS[kind].clean(base, values)
    if errors:
        raise ApplicationInvalid(" ".join(errors.values()), field_errors=errors)
    return values


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
            filing = FILING_MODELS[kind].objects.create(base=base, created_by=actor, **values)
    except IntegrityError as exc:  # a second request raced this one
        raise TransitionRefused(_("该基地已有一份正在办理的同类申请。")) from exc
    FILING_KINDS[kind].save_rows(filing, milestones)
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
    kind = kind_of(filing)
    values = _clean(kind.key, filing.base, data)
    for name, value in values.items():
        setattr(filing, name, value)
    filing.save()
    kind.save_rows(filing, milestones)
    _attach(filing, files, actor)
    return filing


# --- the chain ------------------------------------------------------------------------------------
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
    kind = kind_of(filing)
    if kind.approved_by_panel and action == "approve":
        raise TransitionRefused(_("验收申请由市科技局组建验收专家组受理，请在“专家评审”中组建验收专家组。"))
    if action == "refuse" and not kind.may_refuse:
        raise TransitionRefused(_("该事项只能批准或退回修改。"))
    changes: dict[str, Any] = {}
    if action == "submit":
        problem = kind.submit_problem(filing, today)
        if problem:
            raise TransitionRefused(problem)
        changes["submitted_on"] = today
    if action in ("approve", "refuse"):
        changes["decided_on"] = today
    if action in ("supervisor_return", "bureau_return"):
        changes["returned_on"] = today  # the resubmission period runs from here (Art. 8-4, portal rule)
    if action == "approve":
        changes.update(kind.approval_changes(filing, months_granted))
    run_transition(instance=filing, transition=action, actor=actor, comment=comment, changes=changes)
    kind.after_step(filing, action, actor, today)
    _announce_step(filing, action, comment)
    return filing


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
    today = _today(today)
    base = lock(base)
    # The step, and the date it records: recognised on, or failed at acceptance on.
    step, dated = (
        ("acceptance_pass", "recognized_on") if passed else ("acceptance_fail", "acceptance_failed_on")
    )
    run_transition(instance=base, transition=step, actor=actor, comment=comment, changes={dated: today})
    if passed:
        if base.is_new_application():
            award_create(base=base, today=today)
        announce(
            base,
            host_and_supervisor(base),
            (gettext_lazy("验收通过，已列入市中试基地序列：%(name)s"), {"name": base.name}),
            comment,
        )
        return
    if base.extension_used:
        base_revoke(
            actor=actor,
            base=base,
            reason_code="construction_not_accepted",
            note=_("延期后仍未通过验收，依第八条第（四）项撤销。"),
            today=today,
        )
    else:
        closes = construction_clock(base)
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
