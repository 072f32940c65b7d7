"""The assessments page's counts (bases owing a report, by state and grade) and its bases due for
evaluation cover every base: they are kept in the cache until a base, report, grade or evaluation
changes, and never shown stale after such a change."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bases.models import Status
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def test_the_owing_counts_are_cached_until_a_base_changes(client, people):
    year = timezone.localdate().year - 1
    PilotBaseFactory(host=people.host_a, status=Status.RECOGNIZED, recognized_on=date(year, 3, 1))
    client.force_login(people.bureau)
    first = client.get("/assessments/")
    assert first.context["owing_total"] == 1
    with CaptureQueriesContext(connection) as again:
        assert client.get("/assessments/").context["owing_total"] == 1
    assert not any("GROUP BY" in q["sql"] for q in again.captured_queries), "counts were recomputed"
    # unfiltered, the owing list's length is the cached total: its paginator counts nothing
    counts = [
        q["sql"] for q in again.captured_queries if "COUNT(" in q["sql"] and "bases_pilotbase" in q["sql"]
    ]
    assert counts == [], counts
    # a new base through the ORM: the next page counts it
    PilotBaseFactory(host=people.host_b, status=Status.RECOGNIZED, recognized_on=date(year, 5, 1))
    assert client.get("/assessments/").context["owing_total"] == 2
