"""Every write of the expert pool: specialties and experts, each expert's user account with them.

The pool is the bureau's: its right is the role itself (no new permission; admins manage accounts in
the admin, not the pool). Every refusal is an ApplicationInvalid whose field_errors name form fields.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from bases.exceptions import ApplicationInvalid
from portal.accounts.models import Organisation, OrganisationKind, Role, User
from portal.accounts.services import organisation_get_or_create, user_create, user_set_role
from portal.workflow.services import lock
from reviews.models import Expert, Specialty
from reviews.permissions import require_pool_keeper

PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 -]{5,28}[0-9]$")


def _specialty_errors(name: str, exclude_pk: int | None = None) -> dict[str, str]:
    if not name:
        return {"name": _("请填写专业领域名称。")}
    if Specialty.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        return {"name": _("已有名为“%(name)s”的专业领域。") % {"name": name}}
    return {}


@transaction.atomic
def specialty_create(*, actor: User, name: str, description: str = "", is_active: bool = True) -> Specialty:
    """The bureau adds a specialty to the vocabulary; names are unique (whatever their case)."""
    require_pool_keeper(actor)
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
    require_pool_keeper(actor)
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


@dataclass(kw_only=True)
class _ExpertDetails:
    """An expert's details as the bureau entered them, stripped, for expert_create and expert_update."""

    full_name: str
    email: str
    phone: str
    title: str
    affiliation: Organisation | None
    affiliation_text: str
    specialties: Iterable[Specialty]
    conflicts: Iterable[Organisation]
    note: str

    def __post_init__(self):
        self.full_name, self.title = (self.full_name or "").strip(), (self.title or "").strip()
        self.email, self.phone = (self.email or "").strip(), (self.phone or "").strip()
        self.affiliation_text, self.note = (self.affiliation_text or "").strip(), (self.note or "").strip()
        self.specialties, self.conflicts = list(self.specialties), list(self.conflicts)

    def errors(self, exclude_pk: int | None = None) -> dict[str, str]:
        """What is wrong with the details, by form field."""
        errors = {}
        if not self.full_name:
            errors["full_name"] = _("请填写专家姓名。")
        if not self.title:
            errors["title"] = _("请填写专家职称。")
        if self.affiliation is None and not self.affiliation_text:
            errors["affiliation"] = _("请选择工作单位，或在“其他工作单位”中填写单位全称。")
        elif self.affiliation is not None and self.affiliation_text:
            errors["affiliation_text"] = _("已选择工作单位，请勿再填写其他工作单位。")
        if not self.specialties:
            errors["specialties"] = _("请至少选择一个专业领域。")
        if not self.phone:
            errors["phone"] = _("请填写手机号码。")
        elif not PHONE_PATTERN.match(self.phone):
            errors["phone"] = _("手机号码格式不正确。")
        if not self.email:
            errors["email"] = _("请填写电子邮箱。")
        else:
            try:
                validate_email(self.email)
            except ValidationError:
                errors["email"] = _("电子邮箱格式不正确。")
            else:
                if Expert.objects.filter(email__iexact=self.email).exclude(pk=exclude_pk).exists():
                    errors["email"] = _("专家库中已有使用该电子邮箱的专家。")
        return errors

    def organisation(self) -> Organisation:
        """The unit the expert's account belongs to: the affiliation, or an 其他单位 of that name."""
        if self.affiliation is not None:
            return self.affiliation
        organisation, _created = organisation_get_or_create(
            name=self.affiliation_text, kind=OrganisationKind.OTHER
        )
        return organisation

    def save_to(self, expert: Expert) -> Expert:
        """Write the profile's fields, its specialties and its conflicts (a new expert is inserted)."""
        expert.title, expert.affiliation = self.title, self.affiliation
        expert.affiliation_text, expert.note = self.affiliation_text, self.note
        expert.phone, expert.email = self.phone, self.email
        expert.save()
        expert.specialties.set(self.specialties)
        expert.conflicts.set(self.conflicts)
        return expert


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
    require_pool_keeper(actor)
    username = (username or "").strip()
    details = _ExpertDetails(
        full_name=full_name,
        email=email,
        phone=phone,
        title=title,
        affiliation=affiliation,
        affiliation_text=affiliation_text,
        specialties=specialties,
        conflicts=conflicts,
        note=note,
    )
    errors = details.errors()
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
            organisation=details.organisation(),
            role=Role.EXPERT,
            full_name=details.full_name,
            email=details.email,
            phone=details.phone,
        )
    except ValidationError as exc:
        raise ApplicationInvalid(_("专家信息填写有误。"), field_errors=_user_errors(exc)) from exc
    return details.save_to(Expert(user=user))


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
    require_pool_keeper(actor)
    expert = lock(expert)
    details = _ExpertDetails(
        full_name=full_name,
        email=email,
        phone=phone,
        title=title,
        affiliation=affiliation,
        affiliation_text=affiliation_text,
        specialties=specialties,
        conflicts=conflicts,
        note=note,
    )
    errors = details.errors(exclude_pk=expert.pk)
    if errors:
        raise ApplicationInvalid(_("专家信息填写有误。"), field_errors=errors)

    user = lock(expert.user)
    organisation = details.organisation()
    if user.organisation_id != organisation.pk:
        user_set_role(user=user, organisation=organisation, role=Role.EXPERT)
    user.full_name, user.email, user.phone = details.full_name, details.email, details.phone
    user.save(update_fields=["full_name", "email", "phone"])
    return details.save_to(expert)


@transaction.atomic
def expert_set_active(*, actor: User, expert: Expert, is_active: bool) -> Expert:
    """Take an expert out of the pool (no longer drawn) or back in. The account is left as it is: an
    expert out of the pool still finishes the scoring already assigned to them."""
    require_pool_keeper(actor)
    expert = lock(expert)
    expert.is_active = is_active
    expert.save(update_fields=["is_active", "updated_at"])
    return expert
