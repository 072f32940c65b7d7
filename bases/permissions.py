"""Object permissions on pilot bases, given by the services to the organisations' role groups.

Host unit: base staff view and edit; the host approver also submits and withdraws (Art. 6).
Supervising unit of the host's jurisdiction: view and recommend (Art. 5, 8-1).
The bureau's rights are global (portal/accounts/permissions.py, ROLE_GLOBAL_PERMISSIONS).
"""

from guardian.shortcuts import assign_perm

from bases.models import PilotBase, PilotBaseGroupObjectPermission
from portal.accounts.models import Role
from portal.accounts.permissions import org_role_group

# The bureau's right over every base (granted to its role group): reviews, decisions, documents.
REVIEW_PERMISSION = "bases.review_pilotbase"
HOST_STAFF_PERMISSIONS = ["view_pilotbase", "change_pilotbase"]
HOST_APPROVER_PERMISSIONS = ["view_pilotbase", "change_pilotbase", "submit_pilotbase", "withdraw_pilotbase"]
SUPERVISOR_PERMISSIONS = ["view_pilotbase", "recommend_pilotbase"]


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
