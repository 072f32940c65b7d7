"""Django admin at 100,000 bases: every changelist of a table that grows with the bases counts at most
BoundedCountPaginator.CAP rows (no full count of the table beside it) and is ordered on an index; the
changelists' queries do not grow with the data (tests/portal/test_all_pages_scale.py renders each)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bases.models import FundCategory, PilotBase
from portal.admin import BoundedCountAdmin, BoundedCountPaginator
from portal.models import CalendarDay, CalendarYear, Parameter
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db

# Tables that do not grow with the bases: a year's calendar, the parameters, the groups of roles,
# the login lockout counters (one per locked-out person) and Celery beat's handful of schedules.
FIXED_SIZE = {CalendarDay, CalendarYear, Parameter, Group, FundCategory}
FIXED_SIZE_APPS = {"django_celery_beat"}
LOCKOUT_COUNTERS = "axes.AccessAttempt"


def _growing_admins():
    for model, model_admin in admin.site._registry.items():
        if model in FIXED_SIZE or model._meta.app_label in FIXED_SIZE_APPS:
            continue
        if model._meta.label == LOCKOUT_COUNTERS:
            continue
        yield model, model_admin


GROWING = list(_growing_admins())


@pytest.mark.parametrize(("model", "model_admin"), GROWING, ids=[m._meta.label for m, _a in GROWING])
def test_a_big_tables_changelist_never_counts_the_whole_table(model, model_admin):
    assert isinstance(model_admin, BoundedCountAdmin), (
        f"{model._meta.label}: use portal.admin.BoundedCountAdmin"
    )
    assert issubclass(model_admin.paginator, BoundedCountPaginator)
    assert model_admin.show_full_result_count is False
    assert not model_admin.date_hierarchy, "a date hierarchy reads the dates of every row"
    for spec in model_admin.list_filter:
        field = spec[0] if isinstance(spec, tuple) else spec
        if isinstance(field, str) and "__" not in field:
            model_field = model._meta.get_field(field)
            # Django's filter of a plain column lists its distinct values: a scan of the whole table.
            assert (
                model_field.choices
                or model_field.is_relation
                or model_field.get_internal_type()
                in (
                    "BooleanField",
                    "DateField",
                    "DateTimeField",
                )
            ), f"{model._meta.label}: filter {field} reads every distinct value"


@pytest.mark.parametrize(("model", "model_admin"), GROWING, ids=[m._meta.label for m, _a in GROWING])
def test_a_big_tables_changelist_is_ordered_on_an_index(model, model_admin):
    ordering = list(model_admin.ordering or model._meta.ordering or ["-pk"])
    first = ordering[0].lstrip("-")
    column = model._meta.pk.column if first == "pk" else model._meta.get_field(first).column
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    leading = {c["columns"][0] for c in constraints.values() if c["columns"] and (c["index"] or c["unique"])}
    assert column in leading | {model._meta.pk.column}, f"{model._meta.label} ordered by {first}, not indexed"


def test_the_count_stops_at_the_cap(people):
    for _ in range(4):
        PilotBaseFactory(host=people.host_a)
    capped = type("Capped", (BoundedCountPaginator,), {"CAP": 2})(PilotBase.objects.order_by("pk"), 1)
    with CaptureQueriesContext(connection) as queries:
        assert capped.count == 3 and capped.capped
    assert "LIMIT 3" in queries.captured_queries[0]["sql"]
    whole = BoundedCountPaginator(PilotBase.objects.order_by("pk"), 1)
    assert whole.count == 4 and not whole.capped


def test_the_bases_changelist_shows_a_capped_count(client, people, monkeypatch):
    superuser = people.admin
    superuser.is_superuser = True
    superuser.save()
    for _ in range(3):
        PilotBaseFactory(host=people.host_a)
    monkeypatch.setattr(BoundedCountPaginator, "CAP", 2)
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:bases_pilotbase_changelist")).content.decode()
    assert "2+" in page
    counts = [
        q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "bases_pilotbase" in q["sql"]
    ]
    assert counts and all("LIMIT" in sql for sql in counts), counts
