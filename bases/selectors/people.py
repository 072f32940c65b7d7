"""The people concerned with a base: its host unit's, its supervising unit's and the bureau's users."""

from django.db.models import QuerySet

from bases.models import PilotBase
from portal.accounts.models import Role, User
from portal.accounts.permissions import HOST_ROLES


def host_users(base: PilotBase) -> QuerySet[User]:
    return User.objects.filter(organisation_id=base.host_id, role__in=HOST_ROLES, is_active=True)


def host_approvers(base: PilotBase) -> QuerySet[User]:
    return User.objects.filter(organisation_id=base.host_id, role=Role.HOST_APPROVER, is_active=True)


def supervisor_users(base: PilotBase) -> QuerySet[User]:
    return User.objects.filter(organisation_id=base.supervising_unit_id, role=Role.SUPERVISOR, is_active=True)


def people_of_bases(bases) -> dict[int, list[User]]:
    """For each base (id → users): its host unit's staff and approvers and its supervising unit's
    staff, in two queries for any number of bases (the daily jobs' reminders)."""
    hosts, supervisors = {}, {}
    host_ids = {b.host_id for b in bases}
    supervisor_ids = {b.supervising_unit_id for b in bases}
    for user in User.objects.filter(
        organisation_id__in=host_ids, role__in=HOST_ROLES, is_active=True
    ).order_by("pk"):
        hosts.setdefault(user.organisation_id, []).append(user)
    for user in User.objects.filter(
        organisation_id__in=supervisor_ids, role=Role.SUPERVISOR, is_active=True
    ).order_by("pk"):
        supervisors.setdefault(user.organisation_id, []).append(user)
    return {b.pk: [*hosts.get(b.host_id, []), *supervisors.get(b.supervising_unit_id, [])] for b in bases}


def bureau_users() -> QuerySet[User]:
    return User.objects.filter(role=Role.BUREAU_STAFF, is_active=True)
