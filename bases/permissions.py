"""Object permissions on pilot bases, given by the services to the organisations' role groups.

Host unit: base staff view and edit; the host approver also submits and withdraws (Art. 6).
Supervising unit of the host's jurisdiction: view and recommend (Art. 5, 8-1).
The bureau's rights are global (GLOBAL_PERMISSIONS below, granted to the role groups).

The predicates below are the one place that says who may do what with a base; views and services
ask them, templates ask them by the names in RULES through rules' tag (`{% test_rule "bases.review"
user as may_review %}`). reviews and assessments build their own rights on require_bureau.
"""

from collections.abc import Callable

from guardian.shortcuts import assign_perm

from bases.exceptions import PermissionRefused
from bases.models import PilotBase, PilotBaseGroupObjectPermission
from bases.models.base import REVIEW
from portal.accounts.models import Role
from portal.accounts.permissions import holds_bureau_right, is_host, org_role_group

# The bureau's right over every base (granted to its role group): reviews, decisions, documents. It is
# the platform's bureau right (declared from BasesConfig.ready, bases.registrations).
REVIEW_PERMISSION = REVIEW
HOST_STAFF_PERMISSIONS = ["view_pilotbase", "change_pilotbase"]
HOST_APPROVER_PERMISSIONS = ["view_pilotbase", "change_pilotbase", "submit_pilotbase", "withdraw_pilotbase"]
SUPERVISOR_PERMISSIONS = ["view_pilotbase", "recommend_pilotbase"]
EDIT_PERMISSION = "bases.change_pilotbase"

# The global rights on bases' models that roles hold through their role group, besides the bureau's
# right itself (REVIEW_PERMISSION, granted as it is declared). Art. 4: the bureau reviews, decides and
# revokes; the administrator reinstates after a wrongful revocation and keeps the expense categories
# of Art. 10.
GLOBAL_PERMISSIONS: dict[str, list[str]] = {
    Role.BUREAU_STAFF: [
        "bases.view_pilotbase",
        "bases.revoke_pilotbase",
        "bases.decide_pilotbase",
    ],
    Role.ADMIN: [
        "bases.view_pilotbase",
        "bases.reinstate_pilotbase",
        "bases.view_fundcategory",
        "bases.add_fundcategory",
        "bases.change_fundcategory",
    ],
}


def may_review(user) -> bool:
    """The bureau's right over every base: reviews, decisions, documents, imports (Art. 4)."""
    return holds_bureau_right(user)


def may_edit_application(user, base: PilotBase) -> bool:
    """The host unit's people edit their own base's application (Art. 6)."""
    return user.has_perm(EDIT_PERMISSION, base)


def is_host_of(user, base: PilotBase) -> bool:
    """A person of the base's own host unit (Art. 6): they start and fill its filings."""
    return is_host(user) and user.organisation_id == base.host_id


def may_run(transition, base: PilotBase, user) -> bool:
    """May the user run this step of the base? django-fsm's Transition.has_perm with the model-level
    right asked first: the bureau's rights are global and cached, so its users need no
    object-permission query at all."""
    permission = transition.permission
    if not permission:
        return True
    if callable(permission):
        return bool(permission(base, user))
    return user.has_perm(permission) or user.has_perm(permission, base)


def require_bureau(actor, message) -> None:
    """Refuse with `message` (the app's own words for the step) unless the actor holds the bureau's right."""
    if not may_review(actor):
        raise PermissionRefused(message)


RULES: dict[str, Callable] = {
    "bases.review": may_review,
    "bases.edit_application": may_edit_application,
    "bases.is_host_of": is_host_of,
}


def base_assign_permissions(base: PilotBase) -> None:
    """(Re)assign the base's object rights from its current host unit and jurisdiction."""
    PilotBaseGroupObjectPermission.objects.filter(content_object=base).delete()
    grants = [
        (org_role_group(base.host, Role.BASE_STAFF), HOST_STAFF_PERMISSIONS),
        (org_role_group(base.host, Role.HOST_APPROVER), HOST_APPROVER_PERMISSIONS),
        (org_role_group(base.supervising_unit, Role.SUPERVISOR), SUPERVISOR_PERMISSIONS),
    ]
    for group, codenames in grants:
        for codename in codenames:
            assign_perm(f"bases.{codename}", group, base)


def bases_follow_supervisor(host_unit) -> None:
    """A host unit moved to another jurisdiction: its bases follow it, and the supervisors' rights over
    them with it (Art. 5). Registered with portal.accounts.services from bases' registrations."""
    for base in host_unit.pilot_bases.select_for_update():
        base.supervising_unit = host_unit.supervising_unit
        base.save(update_fields=["supervising_unit", "updated_at"])
        base_assign_permissions(base)
