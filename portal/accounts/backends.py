"""Django's and guardian's permission backends, doing the same checks with fewer queries.

Every page asks "may this user …?" several times: the layout and lists ask model-level questions
(`perms.bases.review_pilotbase`), a base's page asks object-level ones for its buttons. Django's
ModelBackend answers the first kind with two queries per request (the user's own and their groups'
permissions, joined through content types); guardian answers each object question with two queries
of its own, asked again for every permission of the same base. Measured on the bench (100,000
bases), the model-level pair alone took about 3 ms of a 25 ms page.

- PortalModelBackend reads the user with their organisation (every page's header shows it) and keeps
  a user's model-level permissions in the shared cache (Redis) with the version they were read under;
  any change of groups, permissions or memberships replaces the version (`connect_invalidation`), so
  a revoked right is gone on the next request. The key holds is_superuser; an inactive user has no
  right whatever the cache holds. The cache is used only when it is
  shared by every process (PERMISSION_CACHE_SECONDS > 0, set when REDIS_URL is): with a cache per
  process, another process would keep the old rights until the entry expired. A cache that does not
  answer is skipped, and the permissions are read from the database.
- PortalObjectPermissionBackend keeps one guardian checker per user object (one request), which
  remembers each object's permissions after its first question; any change of object permissions or
  group membership in this process starts a new checker.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from guardian.backends import ObjectPermissionBackend, check_support
from guardian.core import ObjectPermissionChecker
from guardian.models import GroupObjectPermission, UserObjectPermission

from portal.cache_versions import bump_version, current_version

logger = logging.getLogger(__name__)
VERSION_KEY = "permissions:version"
# Bumped in this process by any change that can alter object permissions (see connect_invalidation).
_object_generation = 0


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("organisation").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        # ModelBackend keeps the answer on the user object (_perm_cache) and asks no more; fill it
        # from the shared cache first, and let it ask the database when the cache has nothing.
        if (
            user_obj.is_active
            and not user_obj.is_anonymous
            and obj is None
            and not hasattr(user_obj, "_perm_cache")
        ):
            cached = _cached_permissions(
                user_obj, lambda: super(PortalModelBackend, self).get_all_permissions(user_obj)
            )
            if cached is not None:
                user_obj._perm_cache = cached
        return super().get_all_permissions(user_obj, obj)


def _cached_permissions(user, read) -> set[str] | None:
    """The user's model-level permissions from the shared cache (`read` from the database and stored
    there when missing or of an older version), or None when the cache is off or does not answer."""
    seconds = getattr(settings, "PERMISSION_CACHE_SECONDS", 0)
    if not seconds:
        return None
    key = f"permissions:{user.pk}:{int(user.is_superuser)}"
    try:
        # One round trip for the current version and the user's entry, which records its version.
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or current_version(VERSION_KEY)
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            return set(entry[1])
        permissions = read()
        cache.set(key, (version, permissions), seconds)
        return set(permissions)
    except Exception:  # Redis down: the database answers, as without the cache
        logger.warning("permission cache unavailable; reading permissions from the database")
        return None


class PortalObjectPermissionBackend(ObjectPermissionBackend):
    def has_perm(self, user_obj, perm, obj=None):
        support, checked_user = check_support(user_obj, obj)
        if not support or checked_user is not user_obj:  # anonymous users: guardian's own way
            return super().has_perm(user_obj, perm, obj)
        if "." in perm and perm.split(".", 1)[0] != obj._meta.app_label:
            # guardian's own path, with its check of the app label (WrongAppError)
            return super().has_perm(user_obj, perm, obj)
        entry = getattr(user_obj, "_portal_object_checker", None)
        if entry is None or entry[0] != _object_generation:
            entry = (_object_generation, ObjectPermissionChecker(user_obj))
            user_obj._portal_object_checker = entry
        return entry[1].has_perm(perm, obj)


def invalidate_objects(**_kwargs) -> None:
    """Object permissions or group memberships changed: this process's checkers start again."""
    global _object_generation
    _object_generation += 1


def invalidate(**_kwargs) -> None:
    """Groups, permissions or memberships changed: new checkers in this process, and a new version of
    the cached model permissions, now and when the transaction commits."""
    invalidate_objects()
    bump_version(VERSION_KEY)


def connect_invalidation() -> None:
    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"perm-cache-{through._meta.label}")
    for model in (Group, Permission):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"perm-cache-{model._meta.label}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"perm-cache-{model._meta.label}-delete")
    watch_object_permissions(GroupObjectPermission, UserObjectPermission)


def watch_object_permissions(*models) -> None:
    """A change to a row of these object-permission tables starts new checkers: guardian's generic
    tables, and the direct foreign-key tables an app registers from its AppConfig.ready() (bases'
    pilot-base permissions), so the platform never names that app."""
    for model in models:
        uid = f"perm-checker-{model._meta.label}"
        post_save.connect(invalidate_objects, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(invalidate_objects, sender=model, dispatch_uid=f"{uid}-delete")
