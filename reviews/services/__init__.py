"""Every write of the bureau's preliminary review (Art. 8-2), of site visits (Art. 8-2, 17) and of the
expert pool.

Each service: one transaction, the base locked first (portal.workflow.services.lock), the actor's
right and the domain guards checked with messages for the user. A conclusion runs the base's own
transition service (bases.services) inside the same transaction, so the checklist and the state of
the base never disagree.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bases import services as base_services
from bases.exceptions import ApplicationInvalid, PermissionRefused, StaleState, TransitionRefused
from bases.models import PilotBase, Status
from bases.permissions import REVIEW_PERMISSION
from portal.accounts.models import Organisation, OrganisationKind, Role, User
from portal.accounts.services import organisation_get_or_create, user_create, user_set_role
from portal.documents.services import attachment_create
from portal.documents.validators import IMAGE_KINDS, validate_upload
from portal.workflow.services import check_expected_state, check_transition, lock
from reviews.models import (
    CHECKLIST_SECTIONS,
    ChecklistItem,
    Decision,
    Expert,
    PreliminaryCheck,
    PreliminaryCheckItem,
    SiteVisit,
    Specialty,
    VisitPurpose,
)

PHOTO_PURPOSE = "site_photo"
PHOTO_KINDS = IMAGE_KINDS  # jpg, png: checked by content (portal.documents.validators)

# The states of the base in which a visit of each purpose may be recorded.
VISIT_STATES = {
    VisitPurpose.PRELIMINARY: (Status.RECOMMENDED, Status.PRELIMINARY_PASSED),  # Art. 8-2
    VisitPurpose.EVALUATION: (Status.RECOGNIZED,),  # Art. 17: recognised bases are evaluated
}

# Which bases.services function concludes the round for each decision, and its transition.
_CONCLUSIONS = {
    Decision.PASS: ("preliminary_pass", base_services.base_preliminary_pass),
    Decision.RETURN: ("preliminary_return", base_services.base_preliminary_return),
    Decision.REJECT: ("preliminary_reject", base_services.base_preliminary_reject),
}


def _check_reviewer(actor: User) -> None:
    if not actor.has_perm(REVIEW_PERMISSION):
        raise PermissionRefused(_("只有市科技局可以进行初审和实地考察。"))


def _check_in_review(base: PilotBase) -> None:
    if base.status != Status.RECOMMENDED:
        raise TransitionRefused(
            _("当前状态为“%(state)s”，不在初审阶段。") % {"state": base.get_status_display()}
        )


def _lock_open_check(check: PreliminaryCheck) -> tuple[PilotBase, PreliminaryCheck]:
    """Lock the base, then the round; refuse a round someone else has already concluded."""
    base = lock(check.base)
    check = lock(check)
    if not check.is_open:
        raise StaleState(
            _("第%(round)d轮初审已由他人完成（%(decision)s），请刷新页面后查看。")
            % {"round": check.round, "decision": check.get_decision_display()}
        )
    return base, check


# --- preliminary review (Art. 8-2) ----------------------------------------------------------------
@transaction.atomic
def preliminary_check_open(*, actor: User, base: PilotBase) -> PreliminaryCheck:
    """The bureau starts the review round of a recommended base, or gets the round already open.

    A base returned and resubmitted comes back with a new, clean round."""
    base = lock(base)
    _check_reviewer(actor)
    _check_in_review(base)
    check = base.preliminary_checks.filter(concluded_at__isnull=True).first()
    if check is not None:
        return check
    last_round = base.preliminary_checks.aggregate(last=Max("round"))["last"] or 0
    check = PreliminaryCheck.objects.create(base=base, round=last_round + 1, reviewer=actor)
    PreliminaryCheckItem.objects.bulk_create(
        PreliminaryCheckItem(preliminary_check=check, key=key, section=section, position=position)
        for position, (key, section) in enumerate(CHECKLIST_SECTIONS.items(), start=1)
    )
    return check


def _apply_items(check: PreliminaryCheck, items: Mapping[str, tuple[bool | None, str]]) -> None:
    unknown = set(items) - set(ChecklistItem.values)
    if unknown:
        raise ValueError(f"not a checklist item: {sorted(unknown)}")
    for item in check.items.filter(key__in=list(items)):
        ok, note = items[item.key]
        if ok not in (True, False, None):
            raise ValueError(f"ok must be True, False or None, not {ok!r}")
        item.ok = ok
        item.note = (note or "").strip()
        item.save(update_fields=["ok", "note"])


@transaction.atomic
def preliminary_check_save(
    *,
    actor: User,
    check: PreliminaryCheck,
    items: Mapping[str, tuple[bool | None, str]],
    comment: str | None = None,
) -> PreliminaryCheck:
    """Save the checklist as a draft: items maps a checklist key to (ok: True/False/None, note).

    Items not given are left as they are; comment, when given, is kept as the draft of the opinion."""
    _check_reviewer(actor)
    base, check = _lock_open_check(check)
    _check_in_review(base)
    _apply_items(check, items)
    if comment is not None:
        check.comment = comment.strip()
        check.save(update_fields=["comment"])
    return check


def _label(item: PreliminaryCheckItem) -> str:
    return str(item.get_key_display())


def _return_reason(items: Iterable[PreliminaryCheckItem], comment: str) -> str:
    """The text the host receives: one 【item】note line per failed item, then the bureau's comment."""
    lines = [f"【{_label(item)}】{item.note or _('不符合要求')}" for item in items if item.ok is False]
    if comment:
        lines.append(comment)
    return "\n".join(lines)


@transaction.atomic
def preliminary_check_conclude(
    *,
    actor: User,
    check: PreliminaryCheck,
    decision: str,
    comment: str = "",
    expected_status: str | None = None,
    today: date | None = None,
) -> PreliminaryCheck:
    """Art. 8-2: conclude the round and move the base: pass (every item checked 符合), return for
    revision (the failed items' notes and the comment go to the host) or reject (with reasons).

    today is accepted for the house signature; the moment of the conclusion is concluded_at."""
    _check_reviewer(actor)
    base, check = _lock_open_check(check)
    check_expected_state(base, expected_status)
    if decision not in Decision.values:
        raise TransitionRefused(_("请选择初审结论。"))
    decision = Decision(decision)
    transition, conclude = _CONCLUSIONS[decision]
    check_transition(instance=base, transition=transition, actor=actor)
    comment = (comment or "").strip()
    items = list(check.items.all())

    if decision == Decision.PASS:
        open_items = [
            _("%(item)s（%(state)s）")
            % {"item": _label(item), "state": _("未检查") if item.ok is None else _("不符合")}
            for item in items
            if item.ok is not True
        ]
        if open_items:
            raise TransitionRefused(
                _("只有全部检查项均确认符合，才能通过初审。以下检查项尚未确认符合："), details=open_items
            )
        conclude(actor=actor, base=base, comment=comment, expected_status=expected_status)
    elif decision == Decision.RETURN:
        if not comment and not any(item.ok is False and item.note for item in items):
            raise TransitionRefused(
                _("退回修改须至少将一项标记为“不符合”并填写说明，或填写初审意见，以便依托单位按意见修改。")
            )
        conclude(
            actor=actor, base=base, reason=_return_reason(items, comment), expected_status=expected_status
        )
    else:
        if not comment:
            raise TransitionRefused(_("请在初审意见中填写不通过的理由。"))
        conclude(actor=actor, base=base, reason=comment, expected_status=expected_status)

    check.decision = decision
    check.comment = comment
    check.concluded_at = timezone.now()
    check.save(update_fields=["decision", "comment", "concluded_at"])
    return check


# --- site visits (Art. 8-2, 17) --------------------------------------------------------------------
@transaction.atomic
def site_visit_record(
    *,
    actor: User,
    base: PilotBase,
    purpose: str,
    visited_on: date,
    participants: str,
    findings: str,
    photos: Iterable[File] = (),
    today: date | None = None,
) -> SiteVisit:
    """The bureau records a site visit with its photos (JPEG/PNG, checked by content).

    A preliminary visit (optional, Art. 8-2) is made while the application is at or past preliminary
    review; an evaluation visit (mandatory, Art. 17) to a recognised base."""
    base = lock(base)
    _check_reviewer(actor)
    if purpose not in VisitPurpose.values:
        raise TransitionRefused(_("请选择考察类型。"))
    purpose = VisitPurpose(purpose)
    if base.status not in VISIT_STATES[purpose]:
        raise TransitionRefused(
            _("当前状态为“%(state)s”，不能记录%(purpose)s。")
            % {"state": base.get_status_display(), "purpose": purpose.label}
        )
    today = today or timezone.localdate()
    participants, findings = (participants or "").strip(), (findings or "").strip()
    errors = {}
    if visited_on is None:
        errors["visited_on"] = _("请填写考察日期。")
    elif visited_on > today:
        errors["visited_on"] = _("考察日期不能晚于今天。")
    if not participants:
        errors["participants"] = _("请填写考察人员。")
    if not findings:
        errors["findings"] = _("请填写考察情况。")
    photos = list(photos)
    photo_problems = []
    for photo in photos:
        try:
            validate_upload(photo, PHOTO_KINDS)
        except ValidationError as exc:
            photo_problems.extend(exc.messages)
    if photo_problems:
        errors["photos"] = "\n".join(photo_problems)
    if errors:
        # Checked before anything is written: a refused visit leaves no record and no file behind.
        raise ApplicationInvalid(_("实地考察记录填写有误。"), field_errors=errors)

    visit = SiteVisit.objects.create(
        base=base,
        purpose=purpose,
        visited_on=visited_on,
        participants=participants,
        findings=findings,
        created_by=actor,
    )
    for photo in photos:
        attachment_create(
            owner=visit, purpose=PHOTO_PURPOSE, file=photo, uploaded_by=actor, allowed=PHOTO_KINDS
        )
    return visit


# --- the expert pool -----------------------------------------------------
# The pool is the bureau's: its right is the role itself (no new permission; admins manage accounts in
# the admin, not the pool). Every refusal is an ApplicationInvalid whose field_errors name form fields.
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 -]{5,28}[0-9]$")


def _check_pool_keeper(actor: User) -> None:
    if not (actor.is_active and actor.role == Role.BUREAU_STAFF):
        raise PermissionRefused(_("只有市科技局可以管理专家库。"))


def _specialty_errors(name: str, exclude_pk: int | None = None) -> dict[str, str]:
    if not name:
        return {"name": _("请填写专业领域名称。")}
    if Specialty.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        return {"name": _("已有名为“%(name)s”的专业领域。") % {"name": name}}
    return {}


@transaction.atomic
def specialty_create(*, actor: User, name: str, description: str = "", is_active: bool = True) -> Specialty:
    """The bureau adds a specialty to the vocabulary; names are unique (whatever their case)."""
    _check_pool_keeper(actor)
    name = (name or "").strip()
    errors = _specialty_errors(name)
    if errors:
        raise ApplicationInvalid(_("专业领域填写有误。"), field_errors=errors)
    return Specialty.objects.create(name=name, description=(description or "").strip(), is_active=is_active)


@transaction.atomic
def specialty_update(
    *, actor: User, specialty: Specialty, name: str, description: str = "", is_active: bool = True
) -> Specialty:
    """Rename, describe or switch off a specialty; experts who have it keep it."""
    _check_pool_keeper(actor)
    specialty = lock(specialty)
    name = (name or "").strip()
    errors = _specialty_errors(name, exclude_pk=specialty.pk)
    if errors:
        raise ApplicationInvalid(_("专业领域填写有误。"), field_errors=errors)
    specialty.name = name
    specialty.description = (description or "").strip()
    specialty.is_active = is_active
    specialty.save(update_fields=["name", "description", "is_active"])
    return specialty


def _expert_errors(
    *,
    full_name: str,
    email: str,
    phone: str,
    title: str,
    affiliation: Organisation | None,
    affiliation_text: str,
    specialties: list[Specialty],
    exclude_pk: int | None = None,
) -> dict[str, str]:
    """What is wrong with an expert's details, by form field."""
    errors = {}
    if not full_name:
        errors["full_name"] = _("请填写专家姓名。")
    if not title:
        errors["title"] = _("请填写专家职称。")
    if affiliation is None and not affiliation_text:
        errors["affiliation"] = _("请选择工作单位，或在“其他工作单位”中填写单位全称。")
    elif affiliation is not None and affiliation_text:
        errors["affiliation_text"] = _("已选择工作单位，请勿再填写其他工作单位。")
    if not specialties:
        errors["specialties"] = _("请至少选择一个专业领域。")
    if not phone:
        errors["phone"] = _("请填写手机号码。")
    elif not PHONE_PATTERN.match(phone):
        errors["phone"] = _("手机号码格式不正确。")
    if not email:
        errors["email"] = _("请填写电子邮箱。")
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("电子邮箱格式不正确。")
        else:
            if Expert.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists():
                errors["email"] = _("专家库中已有使用该电子邮箱的专家。")
    return errors


def _expert_organisation(affiliation: Organisation | None, affiliation_text: str) -> Organisation:
    """The unit the expert's account belongs to: the affiliation, or an 其他单位 of that name."""
    if affiliation is not None:
        return affiliation
    organisation, _created = organisation_get_or_create(name=affiliation_text, kind=OrganisationKind.OTHER)
    return organisation


def _user_errors(exc: ValidationError) -> dict[str, str]:
    return {field: " ".join(messages) for field, messages in exc.message_dict.items()}


@transaction.atomic
def expert_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    phone: str,
    title: str,
    affiliation: Organisation | None = None,
    affiliation_text: str = "",
    specialties: Iterable[Specialty],
    conflicts: Iterable[Organisation] = (),
    note: str = "",
    password: str | None = None,
) -> Expert:
    """The bureau adds an expert to the pool: the user account (role expert) and its profile, together.

    Without a password the account cannot sign in until one is set (by an admin)."""
    _check_pool_keeper(actor)
    username, full_name, title = (username or "").strip(), (full_name or "").strip(), (title or "").strip()
    email, phone = (email or "").strip(), (phone or "").strip()
    affiliation_text = (affiliation_text or "").strip()
    specialties, conflicts = list(specialties), list(conflicts)
    errors = _expert_errors(
        full_name=full_name,
        email=email,
        phone=phone,
        title=title,
        affiliation=affiliation,
        affiliation_text=affiliation_text,
        specialties=specialties,
    )
    if not username:
        errors["username"] = _("请填写登录用户名。")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("用户名“%(username)s”已被使用。") % {"username": username}
    if errors:
        raise ApplicationInvalid(_("专家信息填写有误。"), field_errors=errors)

    try:
        user = user_create(
            username=username,
            password=password,
            organisation=_expert_organisation(affiliation, affiliation_text),
            role=Role.EXPERT,
            full_name=full_name,
            email=email,
            phone=phone,
        )
    except ValidationError as exc:
        raise ApplicationInvalid(_("专家信息填写有误。"), field_errors=_user_errors(exc)) from exc
    expert = Expert.objects.create(
        user=user,
        title=title,
        affiliation=affiliation,
        affiliation_text=affiliation_text,
        phone=phone,
        email=email,
        note=(note or "").strip(),
    )
    expert.specialties.set(specialties)
    expert.conflicts.set(conflicts)
    return expert


@transaction.atomic
def expert_update(
    *,
    actor: User,
    expert: Expert,
    full_name: str,
    email: str,
    phone: str,
    title: str,
    affiliation: Organisation | None = None,
    affiliation_text: str = "",
    specialties: Iterable[Specialty],
    conflicts: Iterable[Organisation] = (),
    note: str = "",
) -> Expert:
    """Change an expert's details; the account's name, e-mail, phone and unit follow them."""
    _check_pool_keeper(actor)
    expert = lock(expert)
    full_name, title = (full_name or "").strip(), (title or "").strip()
    email, phone = (email or "").strip(), (phone or "").strip()
    affiliation_text = (affiliation_text or "").strip()
    specialties, conflicts = list(specialties), list(conflicts)
    errors = _expert_errors(
        full_name=full_name,
        email=email,
        phone=phone,
        title=title,
        affiliation=affiliation,
        affiliation_text=affiliation_text,
        specialties=specialties,
        exclude_pk=expert.pk,
    )
    if errors:
        raise ApplicationInvalid(_("专家信息填写有误。"), field_errors=errors)

    user = lock(expert.user)
    organisation = _expert_organisation(affiliation, affiliation_text)
    if user.organisation_id != organisation.pk:
        user_set_role(user=user, organisation=organisation, role=Role.EXPERT)
    user.full_name, user.email, user.phone = full_name, email, phone
    user.save(update_fields=["full_name", "email", "phone"])

    expert.title = title
    expert.affiliation = affiliation
    expert.affiliation_text = affiliation_text
    expert.phone = phone
    expert.email = email
    expert.note = (note or "").strip()
    expert.save()
    expert.specialties.set(specialties)
    expert.conflicts.set(conflicts)
    return expert


@transaction.atomic
def expert_set_active(*, actor: User, expert: Expert, is_active: bool) -> Expert:
    """Take an expert out of the pool (no longer drawn) or back in. The account is left as it is: an
    expert out of the pool still finishes the scoring already assigned to them."""
    _check_pool_keeper(actor)
    expert = lock(expert)
    expert.is_active = is_active
    expert.save(update_fields=["is_active", "updated_at"])
    return expert


from reviews.services.decisions import meeting_record as meeting_record  # noqa: E402 - a module per concept
