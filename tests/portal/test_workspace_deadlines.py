"""我的待办 shows each item's due date and days left or overdue, the most urgent first (overdue, then
the nearest due date, then the items with no due date), with the due dates of bases.policy and the
bureau's parameters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bases.models import Status
from bases.selectors.workspace import base_todos_for
from portal.parameters import set_parameter
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def test_a_returned_application_is_due_the_configured_days_after_the_return(people, client):
    today = timezone.localdate()
    set_parameter("returned_filing_resubmit_days", 20)
    base = PilotBaseFactory(host=people.host_a, status=Status.RETURNED)
    base.status_changed_at = timezone.now() - timedelta(days=5)
    base.save(update_fields=["status_changed_at"])
    client.force_login(people.staff_a)
    page = client.get("/workspace/").content.decode()
    due = today + timedelta(days=15)
    assert f"{due.year}年{due.month}月{due.day}日" in page
    assert "剩 15 天" in page
    assert "已等待" not in page


def test_the_bureau_sees_the_overdue_first_and_the_items_without_a_due_date_last(people):
    today = timezone.localdate()
    undated = PilotBaseFactory(host=people.host_a, status=Status.RECOMMENDED)
    # Failed acceptance concluded long ago: the month to request the extension has passed (Art. 8-4).
    overdue = PilotBaseFactory(
        host=people.host_a,
        status=Status.ACCEPTANCE_FAILED,
        construction_deadline=today - timedelta(days=200),
    )
    overdue.status_changed_at = timezone.now() - timedelta(days=100)
    overdue.save(update_fields=["status_changed_at"])
    groups = base_todos_for(people.bureau, today=today)
    assert [g.status for g in groups] == [Status.ACCEPTANCE_FAILED, Status.RECOMMENDED]
    [first], [last] = groups[0].items, groups[1].items
    assert first.pk == overdue.pk and first.due.overdue and first.due.overdue_days > 0
    assert last.pk == undated.pk and last.due.on is None


def test_within_a_group_the_nearest_due_date_comes_first(people):
    today = timezone.localdate()
    set_parameter("task_book_reminder_days", 30)
    later = PilotBaseFactory(
        host=people.host_a, status=Status.APPROVED, approved_on=today - timedelta(days=2)
    )
    sooner = PilotBaseFactory(
        host=people.host_a, status=Status.APPROVED, approved_on=today - timedelta(days=40)
    )
    [group] = base_todos_for(people.staff_a, today=today)
    assert [b.pk for b in group.items] == [sooner.pk, later.pk]
    assert [b.due.days_left for b in group.items] == [-10, 28]
