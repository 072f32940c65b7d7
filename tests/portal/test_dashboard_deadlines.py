"""The bureau's and the supervisor's dashboards list each deadline their cards count (a construction
period ending, Art. 8-4; an annual report not filed by the round's due date, Art. 15) with what it is,
which base, the due date and the days left or overdue, the most urgent first, at most URGENT_SHOWN."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReport, ReportingRound
from bases.models import PilotBase, Status
from portal.site.dashboards import URGENT_SHOWN, dashboard, invalidate
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_figures():
    """The figures are cached (Redis) under a version the rolled-back rows of an earlier test left."""
    invalidate()


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _urgent_section(page: str) -> str:
    return page[page.index('id="h-urgent"') : page.index('id="h-states"')]


def test_the_bureau_dashboard_lists_each_due_item_with_its_date_most_urgent_first(client, people):
    today = timezone.localdate()
    soon = PilotBaseFactory(
        host=people.host_a,
        status=Status.UNDER_CONSTRUCTION,
        construction_deadline=today + timedelta(days=12),
        name="忻州市甲县十二天后期满中试基地",
    )
    overdue = PilotBaseFactory(
        host=people.host_b,
        status=Status.UNDER_CONSTRUCTION,
        construction_deadline=today - timedelta(days=4),
        name="忻州市乙县已逾期中试基地",
    )
    far = PilotBaseFactory(
        host=people.host_a,
        status=Status.UNDER_CONSTRUCTION,
        construction_deadline=today + timedelta(days=90),
        name="忻州市甲县远期中试基地",
    )
    reporting = PilotBaseFactory(host=people.host_a, recognized=True, name="忻州市甲县报告未报中试基地")
    report_round = ReportingRound.objects.create(
        year=today.year - 1,
        due_on=today + timedelta(days=2),
        grace_ends_on=today + timedelta(days=32),
        opened_by=people.bureau,
    )
    AnnualReport.objects.create(base=reporting, round=report_round, created_by=people.staff_a)

    client.force_login(people.bureau)
    section = _urgent_section(client.get(reverse("dashboard")).content.decode())
    names = [overdue.name, reporting.name, soon.name]
    positions = [section.index(name) for name in names]
    assert positions == sorted(positions)  # overdue first, then the nearest due date
    assert far.name not in section  # beyond 30 days: counted nowhere, listed nowhere
    assert _cn(today - timedelta(days=4)) in section and "已逾期 4 天" in section
    assert _cn(today + timedelta(days=2)) in section and "剩 2 天" in section
    assert _cn(today + timedelta(days=12)) in section and "剩 12 天" in section
    assert f"{today.year - 1}年度报告" in section and "建设期满" in section
    assert reverse("bases:detail", args=[overdue.pk]) in section

    # The supervisor of county A sees its own: not the other county's base.
    client.force_login(people.supervisor_a)
    section = _urgent_section(client.get(reverse("dashboard")).content.decode())
    assert soon.name in section and reporting.name in section and overdue.name not in section


def test_the_list_is_capped_and_says_so_when_empty(client, people):
    today = timezone.localdate()
    client.force_login(people.bureau)
    assert "没有已逾期或 30 天内到期的事项。" in client.get(reverse("dashboard")).content.decode()
    PilotBaseFactory(host=people.host_a, status=Status.UNDER_CONSTRUCTION, construction_deadline=today)
    with CaptureQueriesContext(connection) as one:
        dashboard(PilotBase.objects.all(), everything=True)
    for days in range(URGENT_SHOWN + 5):
        PilotBaseFactory(
            host=people.host_a,
            status=Status.UNDER_CONSTRUCTION,
            construction_deadline=today + timedelta(days=days),
        )
    with CaptureQueriesContext(connection) as many:
        dashboard(PilotBase.objects.all(), everything=True)
    assert len(many) == len(one)  # no query per item listed
    section = _urgent_section(client.get(reverse("dashboard")).content.decode())
    assert section.count("<tr>") == URGENT_SHOWN + 1  # the header and the most urgent rows
