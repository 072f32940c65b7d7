"""Roles as Django groups (coarse rights) and per-organisation groups (object rights via guardian).

A role is membership of an organisation of a kind plus Django groups.
Each user is in the global group of their role and in the group of (their organisation, their role);
services give object permissions to the organisation groups, so a person added to a unit later sees
what the unit sees, and a person who leaves it stops seeing it.
"""

from django.contrib.auth.models import Group, Permission

from portal.accounts.models import Role

# Global (model-level) rights of each role. Object-level rights come from the services.
ROLE_GLOBAL_PERMISSIONS: dict[str, list[str]] = {
    Role.BASE_STAFF: [],
    Role.HOST_APPROVER: [],
    Role.SUPERVISOR: [],
    Role.EXPERT: [],
    Role.BUREAU_STAFF: [
        "bases.view_pilotbase",
        "bases.review_pilotbase",
        "bases.revoke_pilotbase",
        "bases.decide_pilotbase",
    ],
    Role.ADMIN: [
        "bases.view_pilotbase",
        "bases.reinstate_pilotbase",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_organisation",
        "accounts.add_organisation",
        "accounts.change_organisation",
        "portal.view_calendarday",
        "portal.add_calendarday",
        "portal.change_calendarday",
        "portal.delete_calendarday",
        "bases.view_fundcategory",
        "bases.add_fundcategory",
        "bases.change_fundcategory",
        "portal.view_calendaryear",
        "portal.add_calendaryear",
        "portal.change_calendaryear",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
    ],
}


def role_group_name(role: str) -> str:
    return f"role:{role}"


def org_role_group_name(organisation_id: int, role: str) -> str:
    return f"org:{organisation_id}:{role}"


def org_role_group(organisation, role: str) -> Group:
    group, _ = Group.objects.get_or_create(name=org_role_group_name(organisation.pk, role))
    return group


def _permissions(dotted: list[str]) -> list[Permission]:
    found = []
    for name in dotted:
        app_label, codename = name.split(".", 1)
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is not None:  # an app not migrated yet (post_migrate runs per app)
            found.append(perm)
    return found


def ensure_role_groups(**kwargs) -> None:
    """Create the global role groups with their rights; idempotent (run after every migrate)."""
    for role, dotted in ROLE_GLOBAL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        group.permissions.set(_permissions(dotted))


def sync_user_groups(user) -> None:
    """Put the user in exactly the role groups their role and organisation call for."""
    wanted = []
    if user.role:
        wanted.append(Group.objects.get_or_create(name=role_group_name(user.role))[0])
        if user.organisation_id:
            wanted.append(org_role_group(user.organisation, user.role))
    managed = [g for g in user.groups.all() if g.name.startswith(("role:", "org:"))]
    to_remove = [g for g in managed if g not in wanted]
    if to_remove:
        user.groups.remove(*to_remove)
    user.groups.add(*wanted)
