"""Every write to organisations and users."""

from collections.abc import Callable

from django.db import transaction

from portal.accounts.models import Organisation, OrganisationKind, User
from portal.accounts.permissions import sync_user_groups


@transaction.atomic
def organisation_create(*, name: str, kind: str, **fields) -> Organisation:
    org = Organisation(name=name, kind=kind, **fields)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def organisation_get_or_create(*, name: str, kind: str, **fields) -> tuple[Organisation, bool]:
    existing = Organisation.objects.filter(name=name).first()
    if existing is not None:
        return existing, False
    return organisation_create(name=name, kind=kind, **fields), True


# What follows a host unit into another jurisdiction (its pilot bases and their rights, Art. 5) is
# registered by the app that holds it, from its AppConfig.ready(), so the platform never names it.
_SUPERVISOR_FOLLOWERS: list[Callable[[Organisation], None]] = []


def register_supervisor_follower(follow: Callable[[Organisation], None]) -> None:
    """Register `follow(host_unit)`, called in the transaction that moved the host unit to its new
    supervising unit."""
    if follow not in _SUPERVISOR_FOLLOWERS:
        _SUPERVISOR_FOLLOWERS.append(follow)


@transaction.atomic
def organisation_change_supervisor(
    *, host_unit: Organisation, supervising_unit: Organisation
) -> Organisation:
    """Move a host unit to another jurisdiction; its bases' rights follow it."""
    if host_unit.kind != OrganisationKind.HOST_UNIT:
        raise ValueError("only host units have a supervising unit")
    host_unit.supervising_unit = supervising_unit
    host_unit.full_clean()
    host_unit.save(update_fields=["supervising_unit"])
    for follow in _SUPERVISOR_FOLLOWERS:
        follow(host_unit)
    return host_unit


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    organisation: Organisation | None,
    role: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    is_staff: bool = False,
) -> User:
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        full_name=full_name,
        email=email,
        phone=phone,
        is_staff=is_staff,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    sync_user_groups(user)
    return user


@transaction.atomic
def user_set_role(*, user: User, organisation: Organisation | None, role: str) -> User:
    user.organisation = organisation
    user.role = role
    user.full_clean(exclude=["password"])
    user.save(update_fields=["organisation", "role"])
    sync_user_groups(user)
    return user
