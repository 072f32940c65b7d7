"""The host unit's application (Art. 7, 8-1, 18): drafting, the repeated rows and evidence, submission
and withdrawal."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases.completeness import SECTION_FIELDS, missing_for_submission
from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.models import EDITABLE_STATES, Condition, ConditionAffirmation, PilotBase, Status
from bases.permissions import base_assign_permissions, may_edit_application
from bases.policy import base_name_problem
from bases.selectors import bureau_users, host_approvers, supervisor_users
from bases.services.common import announce, local_today, require_reason
from bases.services.revocation import end_predecessor_if_failed
from portal.accounts.models import Organisation, OrganisationKind, User
from portal.accounts.permissions import is_host
from portal.documents.models import Attachment
from portal.documents.services import attachment_create
from portal.text import join_sentences
from portal.workflow.services import (
    check_expected_state,
    check_transition,
    lock,
    log_creation,
    run_transition,
)

# Fields of the application a host may edit while the base is a draft or returned: those of its sections.
EDITABLE_FIELDS = frozenset(name for fields in SECTION_FIELDS.values() for name in fields)


def _check_name(name: str, rd_direction: str | None) -> None:
    problem = base_name_problem(name, rd_direction or None)
    if problem:
        raise ApplicationInvalid(problem, field_errors={"name": problem})


def _editable(data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields given; one the host may not edit is the caller's mistake, not the user's."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    return dict(data)


# --- drafting --------------------------------------------------------------------------------------
@transaction.atomic
def base_create_draft(
    *,
    actor: User,
    name: str,
    rd_direction: str,
    host: Organisation | None = None,
    data: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> PilotBase:
    """Base staff or the host approver start an application for their own unit."""
    host = host or actor.organisation
    if not is_host(actor) or actor.organisation_id != getattr(host, "pk", None):
        raise PermissionRefused(_("只有依托单位的人员可以为本单位创建申请。"))
    if host.kind != OrganisationKind.HOST_UNIT or host.supervising_unit_id is None:
        raise TransitionRefused(_("本单位尚未登记归口管理单位，请联系系统管理员。"))
    name, rd_direction = (name or "").strip(), (rd_direction or "").strip()
    if not rd_direction:
        raise ApplicationInvalid(_("请填写研发方向。"), field_errors={"rd_direction": _("请填写研发方向。")})
    _check_name(name, rd_direction)
    extra = _editable(data or {})
    base = PilotBase(
        name=name,
        rd_direction=rd_direction,
        host=host,
        supervising_unit_id=host.supervising_unit_id,
        created_by=actor,
        application_year=local_today(today).year,
        status_changed_at=timezone.now(),
        **extra,
    )
    base.full_clean(exclude=["status"])
    base.save()
    ConditionAffirmation.objects.bulk_create(ConditionAffirmation(base=base, condition=c) for c in Condition)
    base_assign_permissions(base)
    log_creation(instance=base, actor=actor)
    return base


@transaction.atomic
def base_update(
    *, actor: User, base: PilotBase, data: Mapping[str, Any], expected_status: str | None = None
) -> PilotBase:
    """Save application content as a draft (any subset of fields; completeness is checked at submit)."""
    base = _lock_editable(actor, base, expected_status)
    for field, value in _editable(data).items():
        setattr(base, field, value.strip() if isinstance(value, str) else value)
    if "name" in data or "rd_direction" in data:
        _check_name(base.name, base.rd_direction)
    base.full_clean(exclude=["status"])
    base.save()
    return base


@transaction.atomic
def condition_affirm(
    *, actor: User, base: PilotBase, condition: int, affirmed: bool, statement: str = ""
) -> ConditionAffirmation:
    """Art. 7: affirm (or withdraw the affirmation of) one basic condition, with its statement."""
    base = _lock_editable(actor, base)
    item = _affirmation(base, condition)
    item.affirmed = affirmed
    item.statement = (statement or "").strip()
    item.save()
    return item


# --- the application phase ------------------------------------------------------------------------
@transaction.atomic
def base_submit(
    *,
    actor: User,
    base: PilotBase,
    comment: str = "",
    expected_status: str | None = None,
    today: date | None = None,
) -> PilotBase:
    """Art. 8-1, Art. 6: the host approver signs off and files the application with the supervisor."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="submit", actor=actor)
    missing = missing_for_submission(base)
    if missing:
        raise TransitionRefused(_("申请书尚不完整，不能提交。请补充以下内容："), details=missing)
    changes = (
        {}
        if base.applied_on
        else {"applied_on": local_today(today), "application_year": local_today(today).year}
    )
    run_transition(instance=base, transition="submit", actor=actor, comment=comment, changes=changes)
    announce(
        base,
        supervisor_users(base),
        (gettext_lazy("待推荐：%(name)s"), {"name": base.name}),
        (gettext_lazy("%(host)s 提交了中试基地建设申请，请审核推荐。"), {"host": base.host}),
    )
    return base


@transaction.atomic
def base_withdraw(
    *, actor: User, base: PilotBase, reason: str, expected_status: str | None = None
) -> PilotBase:
    """The host approver withdraws the application before the Party-group decision."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="withdraw", actor=actor)
    reason = require_reason(reason, _("撤回原因"))
    was_filed = base.status not in (Status.DRAFT, Status.RETURNED)
    run_transition(instance=base, transition="withdraw", actor=actor, comment=reason)
    recipients = [*host_approvers(base)]
    if was_filed:
        recipients += [*supervisor_users(base), *bureau_users()]
    announce(base, recipients, (gettext_lazy("申请已撤回：%(name)s"), {"name": base.name}), reason)
    end_predecessor_if_failed(base=base)
    return base


# --- repeated rows and evidence -------------------------------------------------------------------
ROW_RELATIONS = {
    "co_builders": ("name", "uscc", "role"),
    "technical_backings": ("name", "kind", "uscc", "cooperation"),
    "papers": ("title", "journal", "published_year", "author_rank"),
    "equipment": ("name", "model_spec", "quantity", "value_wan"),
}


def _lock_editable(actor: User, base: PilotBase, expected_status: str | None = None) -> PilotBase:
    """The base locked, once the page's state is checked and the actor may edit its application now."""
    base = lock(base)
    check_expected_state(base, expected_status)
    if base.status not in EDITABLE_STATES:
        raise TransitionRefused(
            _("当前状态为“%(state)s”，申请书不可修改。") % {"state": base.get_status_display()}
        )
    if not may_edit_application(actor, base):
        raise PermissionRefused(_("您无权修改此申请。"))
    return base


def _affirmation(base: PilotBase, condition: int) -> ConditionAffirmation:
    """The base's affirmation of one basic condition (Art. 7), made on first use."""
    item, _created = ConditionAffirmation.objects.get_or_create(base=base, condition=Condition(condition))
    return item


@transaction.atomic
def base_replace_rows(
    *, actor: User, base: PilotBase, relation: str, rows: list[Mapping[str, Any]]
) -> PilotBase:
    """Replace one repeated part of the application (co-builders, backing institutions, papers,
    equipment) by the rows given, in order; every row is validated before anything is written."""
    base = _lock_editable(actor, base)
    allowed = ROW_RELATIONS[relation]
    model = getattr(PilotBase, relation).rel.related_model
    objects = []
    errors = []
    for index, row in enumerate(rows, start=1):
        unknown = set(row) - set(allowed)
        if unknown:
            raise ValueError(f"not a field of {relation}: {sorted(unknown)}")
        obj = model(base=base, position=index, **row)
        try:
            obj.full_clean(exclude=["base"])
        except Exception as exc:  # ValidationError: collect every row's problems
            messages = getattr(exc, "messages", [str(exc)])
            errors.append(_("第%(n)d行：%(msg)s") % {"n": index, "msg": join_sentences(messages)})
        objects.append(obj)
    if errors:
        raise ApplicationInvalid(_("部分行填写有误。"), field_errors={relation: "\n".join(errors)})
    model.objects.filter(base=base).delete()
    model.objects.bulk_create(objects)
    return base


@transaction.atomic
def evidence_attach(*, actor: User, base: PilotBase, condition: int, file: File):
    """Art. 7: add an evidence attachment to one basic condition of the application."""
    base = _lock_editable(actor, base)
    item = _affirmation(base, condition)
    try:
        return attachment_create(owner=item, purpose="evidence", file=file, uploaded_by=actor)
    except ValidationError as exc:
        raise ApplicationInvalid(exc.messages[0], field_errors={"evidence": exc.messages[0]}) from exc


@transaction.atomic
def evidence_remove(*, actor: User, base: PilotBase, attachment_id: int) -> None:
    """Remove an evidence attachment while the application is editable (the file goes with it)."""
    base = _lock_editable(actor, base)
    attachment = Attachment.objects.filter(
        pk=attachment_id,
        purpose="evidence",
        content_type__model="conditionaffirmation",
        object_id__in=base.conditions.values("pk"),
    ).first()
    if attachment is None:
        raise TransitionRefused(_("该证明材料不存在或已删除。"))
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))
