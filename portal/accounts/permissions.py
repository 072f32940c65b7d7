"""Roles as Django groups (coarse rights) and per-organisation groups (object rights via guardian).

A role is membership of an organisation of a kind plus Django groups.
Each user is in the global group of their role and in the group of (their organisation, their role);
services give object permissions to the organisation groups, so a person added to a unit later sees
what the unit sees, and a person who leaves it stops seeing it.

The role predicates below are the platform's one statement of who holds which role (Art. 4–6).
Views, selectors and services ask them; templates ask them through rules' one tag,
`{% test_rule "accounts.is_bureau" user as is_bureau %}`, under the names in RULES.
"""

from collections.abc import Callable, Iterable, Mapping

import rules
from django.contrib.auth.models import Group, Permission

from portal.accounts.models import Role

HOST_ROLES = (Role.BASE_STAFF, Role.HOST_APPROVER)

# The bureau's global right (granted to its role group, ROLE_GLOBAL_PERMISSIONS): the reviews, the
# decisions and the official documents are its alone (Art. 4). Superusers hold it too. It is a right on
# the model the bureau reviews, so the app that owns that model names it (declare_bureau_right).
_bureau_right: list[str] = []


def _role(user) -> str:
    # The anonymous user has no role (the public pages ask too).
    return getattr(user, "role", "") or ""


def is_host(user) -> bool:
    """Base staff or the host approver of a host unit (Art. 6)."""
    return _role(user) in HOST_ROLES


def is_supervisor(user) -> bool:
    """Staff of a supervising unit (Art. 5)."""
    return _role(user) == Role.SUPERVISOR


def is_bureau(user) -> bool:
    """Staff of the municipal S&T bureau (Art. 4)."""
    return _role(user) == Role.BUREAU_STAFF


def is_expert(user) -> bool:
    """A reviewing expert of the pool (Art. 8-2)."""
    return _role(user) == Role.EXPERT


def is_admin(user) -> bool:
    """The portal's administrator."""
    return _role(user) == Role.ADMIN


def declare_bureau_right(dotted: str) -> None:
    """Name the global permission that stands for the bureau's right ("app_label.codename") and grant
    it to the bureau's role; the app whose model it is calls this from its ready()."""
    _bureau_right[:] = [dotted]
    grant_role_permissions({Role.BUREAU_STAFF: [dotted]})


def bureau_right() -> str:
    """The permission that stands for the bureau's right, as declared."""
    if not _bureau_right:
        raise LookupError("no app has declared the bureau's right (declare_bureau_right)")
    return _bureau_right[0]


def holds_bureau_right(user) -> bool:
    """Does the user hold the bureau's right (by role group, or as a superuser)?"""
    return user.has_perm(bureau_right())


RULES: dict[str, Callable] = {
    "accounts.is_host": is_host,
    "accounts.is_supervisor": is_supervisor,
    "accounts.is_bureau": is_bureau,
    "accounts.is_expert": is_expert,
    "accounts.is_admin": is_admin,
}


def register_rules(named: Mapping[str, Callable]) -> None:
    """Name each predicate in rules' shared rule set, so a template asks it by name. Each app calls
    this once from its ready(); a name already given keeps its first predicate."""
    for name, predicate in named.items():
        if not rules.rule_exists(name):
            rules.add_rule(name, predicate)


# Global (model-level) rights of each role. Object-level rights come from the services. The platform's
# own models' rights are listed here; an app adds the rights on its models from its ready()
# (grant_role_permissions), so the platform names no app above it.
ROLE_GLOBAL_PERMISSIONS: dict[str, list[str]] = {
    Role.BASE_STAFF: [],
    Role.HOST_APPROVER: [],
    Role.SUPERVISOR: [],
    Role.EXPERT: [],
    Role.BUREAU_STAFF: [],
    Role.ADMIN: [
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
        "portal.view_calendaryear",
        "portal.add_calendaryear",
        "portal.change_calendaryear",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
    ],
}


def grant_role_permissions(granted: Mapping[str, Iterable[str]]) -> None:
    """Add global rights ("app_label.codename") to roles; the role groups receive them after the next
    migrate (ensure_role_groups). A right already granted to a role is not listed twice."""
    for role, dotted in granted.items():
        held = ROLE_GLOBAL_PERMISSIONS[role]
        held.extend(name for name in dotted if name not in held)


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
