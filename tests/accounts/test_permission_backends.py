"""portal.accounts.backends: the same answers as Django's and guardian's backends, with fewer queries,
and a withdrawn right gone on the next check."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bases.permissions import base_assign_permissions
from bases.selectors.steps import base_actions_for
from portal.accounts.backends import PortalModelBackend
from portal.accounts.models import Role
from portal.accounts.services import user_set_role
from tests.factories import HostUnitFactory, PilotBaseFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def permission_cache(settings):
    """The cache on, as with Redis (a cache shared by every process) in production."""
    settings.PERMISSION_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def fresh(user):
    """The user as the next request reads them (the session's backend)."""
    return PortalModelBackend().get_user(user.pk)


def permission_queries(queries):
    return [q["sql"] for q in queries.captured_queries if "auth_permission" in q["sql"]]


def test_the_next_request_reads_model_permissions_from_the_cache(people, permission_cache):
    assert fresh(people.bureau).has_perm("bases.review_pilotbase")
    with CaptureQueriesContext(connection) as queries:
        user = fresh(people.bureau)
        assert user.has_perm("bases.review_pilotbase")
        assert not user.has_perm("bases.reinstate_pilotbase")
    assert permission_queries(queries) == []


def test_without_a_shared_cache_permissions_come_from_the_database(people, settings):
    settings.PERMISSION_CACHE_SECONDS = 0
    fresh(people.bureau).has_perm("bases.review_pilotbase")
    with CaptureQueriesContext(connection) as queries:
        assert fresh(people.bureau).has_perm("bases.review_pilotbase")
    assert len(permission_queries(queries)) == 2  # Django's own: the user's and their groups'


def test_a_role_change_takes_the_old_rights_away_at_once(people, permission_cache):
    assert fresh(people.bureau).has_perm("bases.decide_pilotbase")
    user_set_role(user=people.bureau, organisation=HostUnitFactory(), role=Role.BASE_STAFF)
    assert not fresh(people.bureau).has_perm("bases.decide_pilotbase")


def test_a_right_removed_from_a_group_is_gone_at_once(people, permission_cache):
    assert fresh(people.bureau).has_perm("bases.revoke_pilotbase")
    group = Group.objects.get(name=f"role:{Role.BUREAU_STAFF}")
    group.permissions.remove(Permission.objects.get(codename="revoke_pilotbase"))
    assert not fresh(people.bureau).has_perm("bases.revoke_pilotbase")
    assert fresh(people.bureau).has_perm("bases.review_pilotbase")


def test_a_deactivated_user_has_no_rights_whatever_the_cache_holds(people, permission_cache):
    assert fresh(people.bureau).has_perm("bases.review_pilotbase")
    User.objects.filter(pk=people.bureau.pk).update(is_active=False)  # no signal: the flag itself counts
    user = User.objects.get(pk=people.bureau.pk)
    assert not user.has_perm("bases.review_pilotbase")


def test_a_cache_that_does_not_answer_leaves_the_database_to_answer(people, settings):
    settings.PERMISSION_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    # (changing CACHES makes Django drop its cache connections: `cache` now points there)
    assert fresh(people.bureau).has_perm("bases.review_pilotbase")
    assert not fresh(people.staff_a).has_perm("bases.review_pilotbase")


def test_the_user_comes_with_their_organisation(people):
    user = fresh(people.staff_a)
    with CaptureQueriesContext(connection) as queries:
        assert user.organisation.name == people.host_a.name
    assert len(queries) == 0


def test_object_rights_are_read_once_per_request_and_again_after_a_change(people):
    base = PilotBaseFactory(host=people.host_a)
    user = fresh(people.approver_a)
    assert user.has_perm("bases.submit_pilotbase", base)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("bases.change_pilotbase", base)
        assert user.has_perm("bases.withdraw_pilotbase", base)
        assert not user.has_perm("bases.recommend_pilotbase", base)
    assert len(queries) == 0
    # the base moves to another host unit: its rights are given again, and the same request sees it
    base.host = people.host_b
    base.supervising_unit = people.host_b.supervising_unit
    base.save()
    base_assign_permissions(base)
    assert not user.has_perm("bases.submit_pilotbase", base)
    assert fresh(people.approver_b).has_perm("bases.submit_pilotbase", base)


def test_the_bureau_needs_no_object_query_for_a_bases_buttons(people, permission_cache):
    base = PilotBaseFactory(host=people.host_a, recommended=True)
    fresh(people.bureau).has_perm("bases.review_pilotbase")  # warm the cache
    user = fresh(people.bureau)
    with CaptureQueriesContext(connection) as queries:
        actions = base_actions_for(base, user)
    assert any(a.startswith("preliminary_") for a in actions)
    # rights the bureau holds globally need no object query; the others (a host's withdraw, …) are
    # read once for the base, not once per transition
    assert len([q for q in queries.captured_queries if "objectpermission" in q["sql"]]) <= 2
    assert len([q for q in queries.captured_queries if "auth_permission" in q["sql"]]) <= 2
    # a host's approver still gets the object rights the services gave
    assert "submit" in base_actions_for(PilotBaseFactory(host=people.host_a), fresh(people.approver_a))
