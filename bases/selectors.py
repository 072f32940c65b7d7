"""Every non-trivial read of pilot bases, scoped to the user (SPEC §1: an object outside one's scope
does not exist for them)."""

from django.db.models import QuerySet
from django_fsm_log.models import StateLog

from bases.models import PilotBase
from portal.accounts.models import Role, User


def base_list_for(user: User) -> QuerySet[PilotBase]:
    """Host users: their unit's bases; supervisors: their jurisdiction's; bureau and admin: all.
    Experts see bases only through their panel assignments (reviews app); everyone else: none."""
    qs = PilotBase.objects.select_related("host", "supervising_unit")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.BASE_STAFF, Role.HOST_APPROVER):
        return qs.filter(host_id=user.organisation_id)
    if user.role == Role.SUPERVISOR:
        return qs.filter(supervising_unit_id=user.organisation_id)
    if user.role in (Role.BUREAU_STAFF, Role.ADMIN):
        return qs
    return qs.none()


def base_timeline(base: PilotBase) -> QuerySet[StateLog]:
    """Every logged step of the base, oldest first, with who did it as what."""
    return (
        StateLog.objects.for_(base)
        .select_related("by", "record__actor_organisation")
        .prefetch_related("record__attachments")
        .order_by("timestamp", "pk")
    )


def base_available_transitions(base: PilotBase, user: User) -> list[str]:
    """Names of the transitions this user may run on this base now (drives the buttons)."""
    return [t.name for t in base.get_available_user_status_transitions(user)]


def host_users(base: PilotBase) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=base.host_id, role__in=[Role.BASE_STAFF, Role.HOST_APPROVER], is_active=True
    )


def host_approvers(base: PilotBase) -> QuerySet[User]:
    return User.objects.filter(organisation_id=base.host_id, role=Role.HOST_APPROVER, is_active=True)


def supervisor_users(base: PilotBase) -> QuerySet[User]:
    return User.objects.filter(organisation_id=base.supervising_unit_id, role=Role.SUPERVISOR, is_active=True)


def bureau_users() -> QuerySet[User]:
    return User.objects.filter(role=Role.BUREAU_STAFF, is_active=True)
