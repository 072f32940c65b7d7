"""Every write to a pilot base in the application phase (Art. 8-1, 8-2), and revocation.

Each service: one transaction, the row re-read with a lock, the domain guards checked with messages
for the user, the step run and logged through portal.workflow.run_transition, and notifications
scheduled on commit.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm_log.models import StateLog

from bases.completeness import missing_for_submission
from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.models import EDITABLE_STATES, TERMINAL_STATES, Condition, ConditionAffirmation, PilotBase, Status
from bases.permissions import base_assign_permissions
from bases.policy import REVOCATION_ARTICLES, RevocationReason, base_name_problem
from bases.selectors import bureau_users, host_approvers, host_users, supervisor_users
from portal.accounts.models import Organisation, OrganisationKind, Role, User
from portal.documents.validators import validate_upload
from portal.notifications.services import notify
from portal.text import join_sentences
from portal.workflow.services import (
    check_expected_state,
    check_transition,
    lock,
    log_creation,
    run_transition,
)

# Fields of the application a host may edit while the base is a draft or returned.
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "rd_direction",
        "construction_mode",
        "summary",
        "contact_name",
        "contact_phone",
        "contact_email",
        "director_name",
        "director_title",
        "director_field",
        "director_achievements",
        "site_address",
        "site_area_m2",
        "equipment_value_wan",
        "equipment_description",
        "pilot_capability",
        "core_technology",
        "industry_prospects",
        "upgrade_capability",
        "total_assets_wan",
        "net_assets_wan",
        "revenue_last_year_wan",
        "rd_spend_last_year_wan",
        "planned_investment_wan",
        "funding_capacity",
        "management_system",
        "leadership",
        "staff_total",
        "staff_rd",
        "staff_senior",
        "skilled_workers",
    }
)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _base_url(base: PilotBase) -> str:
    try:
        return reverse("bases:detail", args=[base.pk])
    except NoReverseMatch:  # before the bases screens are wired
        return ""


def _require_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_("请填写%(what)s。") % {"what": what})
    return reason


def _check_name(name: str, rd_direction: str | None) -> None:
    problem = base_name_problem(name, rd_direction or None)
    if problem:
        raise ApplicationInvalid(problem, field_errors={"name": problem})


def announce(base: PilotBase, recipients, title, body="", *, url: str = "", kind: str = "workflow") -> None:
    """Tell `recipients` about the base (a link to its page unless another is given)."""
    notify(
        recipients=list(recipients),
        title=title,
        body=body,
        url=url or _base_url(base),
        target=base,
        kind=kind,
    )


def host_and_supervisor(base: PilotBase) -> list[User]:
    return [*host_users(base), *supervisor_users(base)]


def _step(
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


def _decide_with_reason(
    *, actor, base, transition: str, reason: str, what, expected_status, title, tell, actor_label: str = ""
) -> PilotBase:
    """A decision that must give its reason: lock, check state and right, require the reason, run
    the step with the reason as its comment, and tell `tell(base)` with the reason as the body."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition=transition, actor=actor)
    reason = _require_reason(reason, what)
    run_transition(instance=base, transition=transition, actor=actor, comment=reason, actor_label=actor_label)
    announce(base, tell(base), (title, {"name": base.name}), reason)
    end_predecessor_if_failed(base=base)
    return base


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
    if actor.role not in (Role.BASE_STAFF, Role.HOST_APPROVER) or actor.organisation_id != getattr(
        host, "pk", None
    ):
        raise PermissionRefused(_("只有依托单位的人员可以为本单位创建申请。"))
    if host.kind != OrganisationKind.HOST_UNIT or host.supervising_unit_id is None:
        raise TransitionRefused(_("本单位尚未登记归口管理单位，请联系系统管理员。"))
    name, rd_direction = (name or "").strip(), (rd_direction or "").strip()
    if not rd_direction:
        raise ApplicationInvalid(_("请填写研发方向。"), field_errors={"rd_direction": _("请填写研发方向。")})
    _check_name(name, rd_direction)
    extra = dict(data or {})
    unknown = set(extra) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    base = PilotBase(
        name=name,
        rd_direction=rd_direction,
        host=host,
        supervising_unit_id=host.supervising_unit_id,
        created_by=actor,
        application_year=_today(today).year,
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
    base = lock(base)
    check_expected_state(base, expected_status)
    _check_editable(actor, base)
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for field, value in data.items():
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
    base = lock(base)
    _check_editable(actor, base)
    item, _created = ConditionAffirmation.objects.get_or_create(base=base, condition=Condition(condition))
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
    changes = {} if base.applied_on else {"applied_on": _today(today), "application_year": _today(today).year}
    run_transition(instance=base, transition="submit", actor=actor, comment=comment, changes=changes)
    announce(
        base,
        supervisor_users(base),
        (gettext_lazy("待推荐：%(name)s"), {"name": base.name}),
        (gettext_lazy("%(host)s 提交了中试基地建设申请，请审核推荐。"), {"host": base.host}),
    )
    return base


@transaction.atomic
def base_supervisor_return(
    *, actor: User, base: PilotBase, reason: str, expected_status: str | None = None
) -> PilotBase:
    """The supervising unit returns the application to the host for revision."""
    return _decide_with_reason(
        actor=actor,
        base=base,
        transition="supervisor_return",
        reason=reason,
        what=_("退回原因"),
        expected_status=expected_status,
        title=gettext_lazy("申请被退回修改：%(name)s"),
        tell=host_users,
    )


@transaction.atomic
def base_recommend(
    *,
    actor: User,
    base: PilotBase,
    letter: File | None,
    comment: str = "",
    expected_status: str | None = None,
) -> PilotBase:
    """Art. 8-1: the supervisor of the host's jurisdiction recommends with a formal letter."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="recommend", actor=actor)
    if letter is None:
        raise TransitionRefused(_("请上传正式推荐文件（推荐函）。"))
    try:
        validate_upload(letter)
    except ValidationError as exc:
        raise ApplicationInvalid(exc.messages[0], field_errors={"letter": exc.messages[0]}) from exc
    run_transition(
        instance=base,
        transition="recommend",
        actor=actor,
        comment=comment,
        attachments=[("recommendation_letter", letter)],
    )
    announce(
        base,
        bureau_users(),
        (gettext_lazy("待初审：%(name)s"), {"name": base.name}),
        (gettext_lazy("%(unit)s 推荐了中试基地建设申请，请初审。"), {"unit": base.supervising_unit}),
    )
    announce(base, host_users(base), (gettext_lazy("申请已获推荐：%(name)s"), {"name": base.name}))
    return base


@transaction.atomic
def base_decline(
    *, actor: User, base: PilotBase, reason: str, expected_status: str | None = None
) -> PilotBase:
    """The supervising unit declines to recommend (Art. 8-1); the application ends."""
    return _decide_with_reason(
        actor=actor,
        base=base,
        transition="decline",
        reason=reason,
        what=_("不予推荐的理由"),
        expected_status=expected_status,
        title=gettext_lazy("申请未获推荐：%(name)s"),
        tell=host_users,
    )


@transaction.atomic
def base_preliminary_pass(
    *, actor: User, base: PilotBase, comment: str = "", expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: the bureau's formal review passes; expert review follows."""
    return _step(
        actor=actor,
        base=base,
        transition="preliminary_pass",
        comment=comment,
        expected_status=expected_status,
        title=gettext_lazy("初审通过：%(name)s"),
        body=gettext_lazy("申请已通过市科技局初审，将组织专家评审。"),
    )


@transaction.atomic
def base_preliminary_return(
    *, actor: User, base: PilotBase, reason: str, expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: the bureau returns the application for revision after its formal review."""
    return _decide_with_reason(
        actor=actor,
        base=base,
        transition="preliminary_return",
        reason=reason,
        what=_("退回原因"),
        expected_status=expected_status,
        title=gettext_lazy("初审退回修改：%(name)s"),
        tell=host_and_supervisor,
    )


@transaction.atomic
def base_preliminary_reject(
    *, actor: User, base: PilotBase, reason: str, expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: the bureau rejects the application at its formal review; the application ends."""
    return _decide_with_reason(
        actor=actor,
        base=base,
        transition="preliminary_reject",
        reason=reason,
        what=_("不通过的理由"),
        expected_status=expected_status,
        title=gettext_lazy("初审未通过：%(name)s"),
        tell=host_and_supervisor,
    )


@transaction.atomic
def base_withdraw(
    *, actor: User, base: PilotBase, reason: str, expected_status: str | None = None
) -> PilotBase:
    """The host approver withdraws the application before the Party-group decision."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="withdraw", actor=actor)
    reason = _require_reason(reason, _("撤回原因"))
    was_filed = base.status not in (Status.DRAFT, Status.RETURNED)
    run_transition(instance=base, transition="withdraw", actor=actor, comment=reason)
    recipients = [*host_approvers(base)]
    if was_filed:
        recipients += [*supervisor_users(base), *bureau_users()]
    announce(base, recipients, (gettext_lazy("申请已撤回：%(name)s"), {"name": base.name}), reason)
    end_predecessor_if_failed(base=base)
    return base


@transaction.atomic
def base_revoke(
    *,
    actor: User | None,
    base: PilotBase,
    reason_code: str,
    note: str = "",
    actor_label: str = "",
    expected_status: str | None = None,
    today: date | None = None,
) -> PilotBase:
    """Art. 8-4, 16, 17: revoke the base; the reason code and its article are recorded.

    actor is None for a scheduled rule; then actor_label names the rule.
    """
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="revoke", actor=actor)
    if reason_code not in RevocationReason.values:
        raise TransitionRefused(_("请选择撤销原因。"))
    reason = RevocationReason(reason_code)
    with translation.override(settings.LANGUAGE_CODE):  # the record keeps the official wording
        article = str(REVOCATION_ARTICLES[reason])
    comment = (note or "").strip()
    run_transition(
        instance=base,
        transition="revoke",
        actor=actor,
        comment=comment,
        reason_code=reason,
        actor_label=actor_label,
        changes={
            "revoked_on": _today(today),
            "revocation_reason": reason,
            "revocation_article": article,
            "revocation_note": (note or "").strip(),
        },
    )
    announce(
        base,
        [*host_users(base), *supervisor_users(base)],
        (gettext_lazy("基地资格已撤销：%(name)s"), {"name": base.name}),
        (
            gettext_lazy("撤销原因：%(reason)s（依据%(article)s）。%(note)s"),
            {"reason": reason.label, "article": REVOCATION_ARTICLES[reason], "note": comment},
        ),
    )
    return base


# --- repeated rows and evidence -------------------------------------------------------------------
ROW_RELATIONS = {
    "co_builders": ("name", "uscc", "role"),
    "technical_backings": ("name", "kind", "uscc", "cooperation"),
    "papers": ("title", "journal", "published_year", "author_rank"),
    "equipment": ("name", "model_spec", "quantity", "value_wan"),
}


def _check_editable(actor: User, base: PilotBase) -> None:
    if base.status not in EDITABLE_STATES:
        raise TransitionRefused(
            _("当前状态为“%(state)s”，申请书不可修改。") % {"state": base.get_status_display()}
        )
    if not actor.has_perm("bases.change_pilotbase", base):
        raise PermissionRefused(_("您无权修改此申请。"))


@transaction.atomic
def base_replace_rows(
    *, actor: User, base: PilotBase, relation: str, rows: list[Mapping[str, Any]]
) -> PilotBase:
    """Replace one repeated part of the application (co-builders, backing institutions, papers,
    equipment) by the rows given, in order; every row is validated before anything is written."""
    base = lock(base)
    _check_editable(actor, base)
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
    from portal.documents.services import attachment_create

    base = lock(base)
    _check_editable(actor, base)
    item, _created = ConditionAffirmation.objects.get_or_create(base=base, condition=Condition(condition))
    try:
        return attachment_create(owner=item, purpose="evidence", file=file, uploaded_by=actor)
    except ValidationError as exc:
        raise ApplicationInvalid(exc.messages[0], field_errors={"evidence": exc.messages[0]}) from exc


@transaction.atomic
def evidence_remove(*, actor: User, base: PilotBase, attachment_id: int) -> None:
    """Remove an evidence attachment while the application is editable (the file goes with it)."""
    from portal.documents.models import Attachment

    base = lock(base)
    _check_editable(actor, base)
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


# --- expert review, public notice, Party-group decision (Art. 8-2, 8-3) ----------------------------
# The reviews app runs panels, notices and meetings; these services move the base accordingly.
@transaction.atomic
def base_start_expert_review(
    *, actor: User, base: PilotBase, comment: str = "", expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: the bureau forms an expert panel for a base that passed the preliminary review."""
    return _step(
        actor=actor,
        base=base,
        transition="start_expert_review",
        comment=comment,
        expected_status=expected_status,
        title=gettext_lazy("进入专家评审：%(name)s"),
    )


@transaction.atomic
def base_conclude_review(
    *, actor: User, base: PilotBase, passed: bool, comment: str = "", expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: record the panel's conclusion: review_passed, or rejected (with the reason)."""
    if not passed:
        return _decide_with_reason(
            actor=actor,
            base=base,
            transition="review_fail",
            reason=comment,
            what=_("评审未通过的理由"),
            expected_status=expected_status,
            title=gettext_lazy("专家评审未通过：%(name)s"),
            tell=host_and_supervisor,
        )
    return _step(
        actor=actor,
        base=base,
        transition="review_pass",
        comment=comment,
        expected_status=expected_status,
        title=gettext_lazy("专家评审通过：%(name)s"),
    )


@transaction.atomic
def base_publish_notice(*, actor: User, base: PilotBase, notice_title: str) -> PilotBase:
    """Art. 8-3: the base is included in a published public notice."""
    return _step(
        actor=actor,
        base=base,
        transition="publish_notice",
        comment=_("列入公示：%(title)s") % {"title": notice_title},
        title=gettext_lazy("已进入公示期：%(name)s"),
    )


@transaction.atomic
def base_clear_notice(
    *, actor: User | None, base: PilotBase, comment: str = "", actor_label: str = ""
) -> PilotBase:
    """Art. 8-3: the notice period ended with no upheld objection. actor is None when the daily
    job closes the notice; actor_label then names the rule."""
    return _step(
        actor=actor,
        base=base,
        transition="clear_notice",
        comment=comment,
        actor_label=actor_label,
        title=gettext_lazy("公示期满无异议：%(name)s"),
    )


@transaction.atomic
def base_objection_upheld(
    *, actor: User | None, base: PilotBase, reason: str, actor_label: str = ""
) -> PilotBase:
    """Art. 8-3: an objection to the base was upheld; the application ends when the notice closes
    (actor None when the daily job closes it; actor_label then names the rule)."""
    return _decide_with_reason(
        actor=actor,
        actor_label=actor_label,
        base=base,
        transition="objection_upheld",
        reason=reason,
        what=_("异议成立的理由"),
        expected_status=None,
        title=gettext_lazy("公示异议成立，申请未通过：%(name)s"),
        tell=host_and_supervisor,
    )


def _meeting_comment(meeting_on: date, minutes_no: str, reason: str = "") -> str:
    minutes_no = (minutes_no or "").strip()
    if meeting_on is None or not minutes_no:
        raise TransitionRefused(_("请填写局党组会议日期和纪要编号。"))
    text = _("局党组会议（%(on)s，纪要%(no)s）研究确定。") % {"on": meeting_on.isoformat(), "no": minutes_no}
    return f"{text}{reason}"


@transaction.atomic
def base_approve(
    *,
    actor: User,
    base: PilotBase,
    meeting_on: date,
    minutes_no: str,
    expected_status: str | None = None,
    today: date | None = None,
) -> PilotBase:
    """Art. 8-3: the Party-group meeting approves the base; its host must now file the task book
    (Art. 8-4). The approval date is the meeting's date."""
    base = lock(base)
    check_expected_state(base, expected_status)
    if base.is_re_recognition():
        return _recognize_again(
            actor=actor, base=base, meeting_on=meeting_on, minutes_no=minutes_no, today=today
        )
    check_transition(instance=base, transition="approve", actor=actor)
    if meeting_on > _today(today):
        raise TransitionRefused(_("会议日期不能晚于今天。"))
    run_transition(
        instance=base,
        transition="approve",
        actor=actor,
        comment=_meeting_comment(meeting_on, minutes_no),
        changes={"approved_on": meeting_on},
    )
    announce(
        base,
        host_and_supervisor(base),
        (gettext_lazy("批准立项：%(name)s"), {"name": base.name}),
        gettext_lazy("请依据立项建设通知填报《市中试基地建设计划任务书》（第八条第（四）项）。"),
    )
    return base


@transaction.atomic
def base_decision_reject(
    *,
    actor: User,
    base: PilotBase,
    meeting_on: date,
    minutes_no: str,
    reason: str,
    expected_status: str | None = None,
) -> PilotBase:
    """Art. 8-3: the Party-group meeting does not approve the base; the reason is recorded."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="decision_reject", actor=actor)
    reason = _require_reason(reason, _("不予立项的理由"))
    run_transition(
        instance=base,
        transition="decision_reject",
        actor=actor,
        comment=_meeting_comment(meeting_on, minutes_no, reason),
    )
    announce(
        base, host_and_supervisor(base), (gettext_lazy("不予立项：%(name)s"), {"name": base.name}), reason
    )
    end_predecessor_if_failed(base=base)
    return base


# --- re-recognition (Art. 14) -------------------------------------------------------------------------
COPIED_ROWS = ("co_builders", "technical_backings", "papers", "equipment")
NOT_COPIED = {
    "id",
    "status",
    "status_changed_at",
    "kind",
    "predecessor",
    "applied_on",
    "approved_on",
    "application_year",
    "extension_months",
    "construction_deadline",
    "recognized_on",
    "revoked_on",
    "revocation_reason",
    "revocation_article",
    "revocation_note",
    "created_by",
    "created_at",
    "updated_at",
}


@transaction.atomic
def base_start_re_recognition(*, actor: User, predecessor: PilotBase, today: date | None = None) -> PilotBase:
    """Art. 14: the host of a base awaiting re-recognition starts the new application, pre-filled
    from its predecessor (content, co-builders, backing institutions, papers, equipment)."""
    predecessor = lock(predecessor)
    if (
        actor.role not in (Role.BASE_STAFF, Role.HOST_APPROVER)
        or actor.organisation_id != predecessor.host_id
    ):
        raise PermissionRefused(_("只有依托单位的人员可以申请重新认定。"))
    if predecessor.status != Status.RE_RECOGNITION_REQUIRED:
        raise TransitionRefused(_("只有“待重新认定”的基地可以申请重新认定。"))
    if PilotBase.objects.filter(predecessor=predecessor).exclude(status__in=TERMINAL_STATES).exists():
        raise TransitionRefused(_("该基地已有进行中的重新认定申请。"))
    values = {
        f.name: getattr(predecessor, f.name)
        for f in PilotBase._meta.concrete_fields
        if f.name not in NOT_COPIED and not f.primary_key
    }
    base = PilotBase.objects.create(
        **values,
        kind="re_recognition",
        predecessor=predecessor,
        created_by=actor,
        application_year=_today(today).year,
    )
    for relation in COPIED_ROWS:
        for row in getattr(predecessor, relation).all():
            row.pk = None
            row.base = base
            row.save()
    for condition in predecessor.conditions.all():
        ConditionAffirmation.objects.create(
            base=base,
            condition=condition.condition,
            affirmed=condition.affirmed,
            statement=condition.statement,
        )
    base_assign_permissions(base)
    log_creation(
        instance=base, actor=actor, comment=_("重新认定申请，前身：%(name)s") % {"name": predecessor.name}
    )
    return base


def _recognize_again(*, actor: User, base: PilotBase, meeting_on: date, minutes_no: str, today) -> PilotBase:
    """Art. 14: an approved re-recognition is recognised at once; its predecessor is superseded; no
    new award."""
    check_transition(instance=base, transition="recognize_again", actor=actor)
    if meeting_on > _today(today):
        raise TransitionRefused(_("会议日期不能晚于今天。"))
    run_transition(
        instance=base,
        transition="recognize_again",
        actor=actor,
        comment=_meeting_comment(meeting_on, minutes_no),
        changes={"approved_on": meeting_on, "recognized_on": meeting_on},
    )
    predecessor = lock(base.predecessor)
    run_transition(
        instance=predecessor,
        transition="supersede",
        actor=actor,
        comment=_("已由重新认定的“%(name)s”取代。") % {"name": base.name},
    )
    announce(base, host_and_supervisor(base), (gettext_lazy("重新认定通过：%(name)s"), {"name": base.name}))
    return base


def end_predecessor_if_failed(*, base: PilotBase) -> None:
    """Art. 14: a re-recognition that ends without recognition (declined, rejected, withdrawn) revokes
    its predecessor — a rule, so the log names it rather than the person who ended the application."""
    if not base.is_re_recognition() or base.status not in (Status.REJECTED, Status.WITHDRAWN):
        return
    predecessor = lock(base.predecessor)
    if predecessor.status != Status.RE_RECOGNITION_REQUIRED:
        return
    base_revoke(
        actor=None,
        base=predecessor,
        reason_code="re_recognition_failed",
        note=_("重新认定申请“%(name)s”未通过。") % {"name": base.name},
        actor_label="规则：重新认定未通过（第十四条）",
    )


@transaction.atomic
def base_reinstate(
    *, actor: User, base: PilotBase, reason: str, expected_status: str | None = None
) -> PilotBase:
    """Correct an erroneous revocation (admin role): the base returns to the state it was revoked
    from, the revocation fields are cleared, and the reason is logged."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="reinstate", actor=actor)
    reason = _require_reason(reason, _("纠正撤销的理由"))
    revocation = StateLog.objects.for_(base).filter(state=Status.REVOKED).order_by("-pk").first()
    previous = revocation.source_state if revocation else Status.RECOGNIZED
    run_transition(
        instance=base,
        transition="reinstate",
        actor=actor,
        comment=reason,
        arguments={"restore_to": previous},
        changes={
            "revoked_on": None,
            "revocation_reason": "",
            "revocation_article": "",
            "revocation_note": "",
        },
    )
    announce(
        base,
        host_and_supervisor(base),
        (gettext_lazy("撤销已纠正，基地资格恢复：%(name)s"), {"name": base.name}),
        reason,
    )
    return base
