"""One guard for every page: nothing grows with the data except what a person asked to see.

Every page a GET answers with 200 — each URL of the authorization matrix (which every URL of the
portal must join, so a new page is covered here without anyone adding it), with the real ids the
matrix uses for its detail pages, for each role the matrix lets in, plus Django admin's changelist
of every registered model for a superuser — is rendered at two sizes of the data: SMALL bases
with their history, then LARGE (ten times as many). It fails when

  - the page runs more queries at LARGE than at SMALL (cold: the cached figures just dropped; and
    warm: as under load, rights and figures cached), or
  - one query runs more than REPEATS times in a request (once per row of a page: a page that is
    full at both sizes runs it as often at both), or
  - an HTML page's body grows more than a paged list does: SMALL already fills every page of every
    list in every role's scope (40 % of the bases are host A's, 40 % host B's), so a paged list shows
    the same number of rows at both sizes and only its counts and page links grow. Exports and PDFs
    grow with the rows they were asked for; their queries must still not.

The data is built once for the module (set-based, tests/scale.py) and rolled back at its end.
"""

import re
from collections import Counter
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import translation

from tests import test_authorization_matrix as matrix
from tests.scale import seed_bases

# (pytest-django sets up the test database only for a session with tests that ask for it)
pytestmark = pytest.mark.django_db

SMALL, LARGE = 700, 7000
# How much an HTML page may grow from SMALL to LARGE: its counts and page links (a few digits and
# links more), never a row per base. A page listing every base grows by 200 bytes or more per base
# added, i.e. 180 KB and more here.
GROWTH_BYTES = 3000
GROWTH_RATIO = 1.05

# The most times one query (the same but for its literals) may run in one request: more is a query per
# row, which a page full at both sizes would not show as growth. Fewer than the shortest page (the
# workspace's 10 waiting items); a form's fixed parts may read once each (the eight conditions of
# Art. 7 on the application form).
REPEATS = 9

ADMIN_CHANGELISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
)


def _pages():
    """(url name, role) for every page a GET answers with 200, as the authorization matrix expects."""
    for case in matrix.MATRIX:
        for role, status in case.expect.items():
            if status == 200:
                yield case.name, role
    for name in ADMIN_CHANGELISTS:
        yield name, "superuser"


PAGES = list(_pages())


def _url(name, world):
    case = next((c for c in matrix.MATRIX if c.name == name), None)
    args = case.args(world) if case and case.args else None
    return reverse(name, args=args)


def _render(client, url):
    """(status, queries cold, queries warm, body size, content type) of one GET of `url`."""
    from portal.site.dashboards import invalidate

    invalidate()  # cold: the dashboards' cached figures dropped
    with CaptureQueriesContext(connection) as cold:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    warm = cold
    if response.get("Content-Type", "").startswith("text/html"):  # (a file caches nothing: once is enough)
        with CaptureQueriesContext(connection) as warm:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
    return SimpleNamespace(
        status=response.status_code,
        cold=len(cold),
        warm=len(warm),
        size=len(body),
        html=response.get("Content-Type", "").startswith("text/html"),
        sql=Counter(_shape(q["sql"]) for q in warm.captured_queries),
    )


def _shape(sql):
    """A query without its literals: the same query for another row has the same shape."""
    return re.sub(r"\b\d+\b|'[^']*'", "?", sql)


def _measure_all(world):
    clients = {}
    results = {}
    for name, role in PAGES:
        if role not in clients:
            clients[role] = Client()
            if role != "anonymous":
                clients[role].force_login(getattr(world.people, role, None) or world.superuser)
            clients[role].get("/")  # the steady state: the user's rights cached
        results[name, role] = _render(clients[role], _url(name, world))

    return results


def _analyze():
    """The planner's statistics of the tables just filled, as autovacuum keeps them in production
    (without them PostgreSQL plans for empty tables)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _build_and_measure():
    from django.utils import timezone

    from portal.parameters import set_parameter
    from tests.factories import HostUnitFactory, UserFactory, make_people

    people = make_people()
    # Exports at both sizes written in the request (above the threshold they become a background job),
    # so that their queries are compared.
    set_parameter("export_background_rows", LARGE * 2)
    world = matrix.world.__wrapped__(people)
    world.superuser = UserFactory(
        username="scale_superuser", organisation=people.bureau.organisation, is_staff=True, is_superuser=True
    )
    third = HostUnitFactory(name="丙依托单位有限公司", supervising_unit=people.supervisor_a_org)
    seeding = {
        "hosts": [people.host_a, people.host_b, people.host_a, people.host_b, third],
        "creator": people.staff_a,
        "bureau_user": people.bureau,
        "today": timezone.localdate(),
        "report_round": world.report_round,
        "evaluation_round": world.evaluation_round,
        "notify": [getattr(people, role) for role in matrix.SIGNED_IN],
    }
    seed_bases(SMALL, seed=1, **seeding)
    _analyze()
    small = _measure_all(world)
    seed_bases(LARGE - SMALL, seed=2, **seeding)
    _analyze()
    return small, _measure_all(world)


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """Both sizes measured once for the module, in one transaction rolled back at the end."""
    # (rights cached, when they are, for the whole run: an entry expiring between the two sizes would
    # read as a page costing more)
    keep_rights = override_settings(PERMISSION_CACHE_SECONDS=settings.PERMISSION_CACHE_SECONDS and 3600)
    language = translation.override(settings.LANGUAGE_CODE)
    with django_db_blocker.unblock(), language, keep_rights, transaction.atomic():
        results = _build_and_measure()
        transaction.set_rollback(True)
    return results


@pytest.mark.parametrize(("name", "role"), PAGES, ids=[f"{n}-{r}" for n, r in PAGES])
def test_nothing_on_a_page_grows_with_the_data(measured, name, role):
    small, large = (m[name, role] for m in measured)
    assert (small.status, large.status) == (200, 200), f"{name} as {role}: {small.status}, {large.status}"
    extra = sorted((large.sql - small.sql).elements())
    assert large.warm <= small.warm, (
        f"{name} as {role}: {small.warm} queries at {SMALL} bases, {large.warm} at {LARGE}; more of {extra}"
    )
    assert large.cold <= small.cold, (
        f"{name} as {role}: {small.cold} queries at {SMALL} bases, {large.cold} at {LARGE} (cold)"
    )
    repeated = {sql: n for sql, n in large.sql.items() if n > REPEATS}
    assert not repeated, f"{name} as {role}: a query per row (the same query {repeated})"
    if small.html:
        allowed = small.size * GROWTH_RATIO + GROWTH_BYTES
        assert large.size <= allowed, (
            f"{name} as {role}: body {small.size:,} bytes at {SMALL} bases, {large.size:,} at {LARGE}"
            f" (a paged page may grow to {allowed:,.0f})"
        )


def test_every_page_of_the_matrix_is_measured():
    """The guard follows the authorization matrix, which every URL must join: a page missing here is
    a page the matrix lets nobody see."""
    names = {name for name, _role in PAGES}
    assert {"assessments:index", "roster", "bases:list", "bases:detail", "dashboard"} <= names
    assert "admin:bases_pilotbase_changelist" in names
