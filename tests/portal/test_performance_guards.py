"""What keeps the portal fast at 100,000 bases (figures in docs/performance.md, measured by
`make bench`): cached dashboard figures that are never stale after a change, daily reminder jobs
whose query count does not grow with the number of bases, the list indexes, and choice labels that
are looked up rather than rebuilt."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bases.jobs import remind_acceptance_window, remind_construction_deadline
from bases.models import PilotBase, Status
from portal.notifications.models import Notification
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_is_served_from_the_cache_until_something_changes(client, people):
    PilotBaseFactory(host=people.host_a, status=Status.SUBMITTED)
    client.force_login(people.bureau)
    first = client.get(reverse("dashboard"))
    assert first.context["d"]["total"] == 1
    with CaptureQueriesContext(connection) as cached:
        again = client.get(reverse("dashboard"))
    assert again.context["d"]["total"] == 1
    assert not any("GROUP BY" in q["sql"] for q in cached.captured_queries), "figures were recomputed"
    # A new base, then a transition through the service: each shows at once.
    base = PilotBaseFactory(host=people.host_b, status=Status.SUBMITTED)
    assert client.get(reverse("dashboard")).context["d"]["total"] == 2
    PilotBase.objects.filter(pk=base.pk).delete()
    assert client.get(reverse("dashboard")).context["d"]["total"] == 1


def test_the_cache_is_per_scope(client, people):
    PilotBaseFactory(host=people.host_a, status=Status.SUBMITTED)
    PilotBaseFactory(host=people.host_b, status=Status.SUBMITTED)
    client.force_login(people.bureau)
    assert client.get(reverse("dashboard")).context["d"]["total"] == 2
    client.force_login(people.supervisor_a)
    assert client.get(reverse("dashboard")).context["d"]["total"] == 1
    client.force_login(people.supervisor_b)
    assert client.get(reverse("dashboard")).context["d"]["total"] == 1


def _under_construction(people, n, deadline):
    for i in range(n):
        PilotBaseFactory(
            host=people.host_a if i % 2 else people.host_b,
            under_construction=True,
            approved_on=deadline - timedelta(days=730),
            construction_deadline=deadline,
        )


@pytest.mark.parametrize("job", [remind_construction_deadline, remind_acceptance_window])
def test_reminder_jobs_run_a_fixed_number_of_queries_whatever_the_number_of_bases(people, job):
    as_of = date(2026, 6, 1)
    soon, closed = as_of + timedelta(days=7), as_of - timedelta(days=20)
    deadline = soon if job is remind_construction_deadline else closed
    _under_construction(people, 2, deadline)
    with CaptureQueriesContext(connection) as few:
        lines_few = job(as_of=as_of)
    _under_construction(people, 10, deadline)
    with CaptureQueriesContext(connection) as many:
        lines_many = job(as_of=as_of)
    assert len(lines_few) == 2 and len(lines_many) == 10  # only the new bases: the first two were reminded
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # And a second run sends nothing again.
    assert job(as_of=as_of) == []
    reminded = Notification.objects.filter(dedup_key__contains=":").values_list("recipient_id", "dedup_key")
    assert len(reminded) == len(set(reminded))


def test_a_dry_run_counts_without_writing(people):
    as_of = date(2026, 6, 1)
    _under_construction(people, 3, as_of + timedelta(days=30))
    lines = remind_construction_deadline(as_of=as_of, dry_run=True)
    assert len(lines) == 3 and all("3 人" in line for line in lines)  # staff, approver, supervisor
    assert not Notification.objects.exists()


def test_the_list_orderings_have_their_indexes():
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, PilotBase._meta.db_table))
        log_indexes = set(connection.introspection.get_constraints(cursor, "django_fsm_log_statelog"))
    assert {"base_recent_idx", "base_status_waiting_idx", "base_status_host_idx"} <= names
    assert "statelog_recent_idx" in log_indexes


def test_choice_labels_follow_the_active_language(people):
    base = PilotBaseFactory(host=people.host_a, status=Status.SUBMITTED)
    assert base.get_status_display() == "待推荐"
    with translation.override("en"):
        assert base.get_status_display() != "待推荐"
        assert base.get_status_display() == str(Status.SUBMITTED.label)
    base.construction_mode = "no-such-mode"
    assert base.get_construction_mode_display() == "no-such-mode"
    assert people.host_a.get_region_display()


def _detail_queries(client, base):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("bases:detail", args=[base.pk]))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["bureau", "approver_a"])
def test_a_bases_page_runs_a_fixed_number_of_queries_whatever_its_history(client, people, role):
    """The base page reads each kind of record once (the filings through the base, the panels shared
    by the review links and the document checks), however many rows each has."""
    from django_fsm_log.models import StateLog

    from assessments.models import AnnualGrade
    from bases.models import BaseChange

    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2024, 5, 1))
    client.force_login(getattr(people, role))
    client.get(reverse("bases:detail", args=[base.pk]))  # the steady state: rights cached (Redis)
    few = _detail_queries(client, base)
    for year in (2022, 2023, 2024, 2025):
        AnnualGrade.objects.create(
            base=base, year=year, grade="good", graded_on=date(year + 1, 3, 1), graded_by=people.bureau
        )
        BaseChange.objects.create(
            base=base, field="name", old_value=f"旧名{year}", new_value=base.name, changed_on=date(year, 6, 1)
        )
        StateLog.objects.create(
            content_object=base,
            state="recognized",
            source_state="recognized",
            transition="annual",
            by=people.bureau,
        )
    many = _detail_queries(client, base)
    assert many == few
    assert few <= 30, f"{few} queries"


def _annual_reports_due(people, n, due_on):
    from assessments.models import AnnualReport, ReportingRound

    round_ = ReportingRound.objects.filter(year=due_on.year - 1).first() or ReportingRound.objects.create(
        year=due_on.year - 1,
        due_on=due_on,
        grace_ends_on=due_on + timedelta(days=30),
        opened_by=people.bureau,
    )
    for i in range(n):
        base = PilotBaseFactory(host=people.host_a if i % 2 else people.host_b, status=Status.RECOGNIZED)
        AnnualReport.objects.create(base=base, round=round_, created_by=people.bureau)


@pytest.mark.parametrize("job_name", ["construction", "acceptance", "annual_report"])
def test_a_run_whose_milestones_were_all_announced_reads_nobody_and_writes_nothing(people, job_name):
    """Art. 8-4 and 15 reminders: the second run of a day (or a quiet day) selects only the records
    whose milestone nobody was told of; once all were, it reads no one's people and writes nothing,
    with as many queries for 12 records as for 2."""
    from assessments.jobs import remind_annual_report_due

    as_of = date(2026, 6, 1)
    job, make = {
        "construction": (
            remind_construction_deadline,
            lambda n: _under_construction(people, n, as_of + timedelta(7)),
        ),
        "acceptance": (
            remind_acceptance_window,
            lambda n: _under_construction(people, n, as_of - timedelta(20)),
        ),
        "annual_report": (
            remind_annual_report_due,
            lambda n: _annual_reports_due(people, n, as_of + timedelta(30)),
        ),
    }[job_name]
    make(2)
    with CaptureQueriesContext(connection) as few_due:
        assert len(job(as_of=as_of)) == 2
    with CaptureQueriesContext(connection) as few:
        assert job(as_of=as_of) == []
    make(10)
    with CaptureQueriesContext(connection) as many_due:
        assert len(job(as_of=as_of)) == 10
    # reminding 10 records costs no more queries than reminding 2 (no row read again one by one; the
    # first run also warms the content-type cache)
    assert len(many_due) <= len(few_due), "\n".join(q["sql"] for q in many_due.captured_queries)
    notified = Notification.objects.count()
    with CaptureQueriesContext(connection) as many:
        assert job(as_of=as_of) == []
    assert Notification.objects.count() == notified
    sql = [q["sql"] for q in many.captured_queries]
    assert not any("accounts_user" in q for q in sql), sql  # nobody's people were read
    assert len(many) == len(few), "\n".join(sql)
