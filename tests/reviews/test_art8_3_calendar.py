"""Art. 8-3 over a year whose holidays are not entered yet.

"市科技局对评审通过名单进行公示": the notice lasts N working days. The State Council publishes the
next year's holidays only in November–December, so a notice published in late December may run into
a year the calendar does not know. Its end date is then provisional (weekends only) and is recomputed,
with the people concerned told, as soon as that year's calendar is entered; the public page always
shows the current end date. (Today's calendar knows 2026, not 2027.)
"""

from datetime import date

import pytest

from portal import workdays
from portal.models import CalendarDay, CalendarSource, CalendarYear
from portal.notifications.models import Notification
from reviews.models import NoticePeriodChange, PublicNotice
from tests.factories import PilotBaseFactory
from tests.reviews.test_notices import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def december_notice(people):
    CalendarYear.objects.filter(year=2027).delete()
    CalendarDay.objects.filter(day__year=2027).delete()
    bases = [PilotBaseFactory(host=people.host_a, review_passed=True)]
    # 23 working days in December 2026 from the 1st, then 2027-01-01 (Fri) and 01-04 with weekends
    # only; published in the past so that the public page shows it whatever day the test runs
    notice = publish(people, bases, starts_on=date(2026, 12, 1), days=25, today=date(2026, 11, 30))
    assert notice.ends_on == date(2027, 1, 4) and notice.calendar_estimated
    return notice


def enter_2027_new_year(client, people):
    """The administrator enters 元旦 2027 and then lists the year as entered, through the admin."""
    people.admin.is_staff = True
    people.admin.save()
    client.force_login(people.admin)
    response = client.post(
        "/admin/portal/calendarday/add/", {"day": "2027-01-01", "is_working_day": "", "note": "元旦"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post("/admin/portal/calendaryear/add/", {"year": "2027", "note": "国务院办公厅通知"})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_art8_3_the_end_date_is_recomputed_when_the_year_is_entered(
    client, people, december_notice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enter_2027_new_year(client, people)
    notice = PublicNotice.objects.get(pk=december_notice.pk)
    assert notice.ends_on == date(2027, 1, 5) and not notice.calendar_estimated  # 元旦 is not a working day
    # the day entered moves the date (the year still unconfirmed), the year entered confirms it
    changes = [
        (c.old_ends_on, c.new_ends_on, c.was_estimated, c.is_estimated)
        for c in NoticePeriodChange.objects.filter(notice=notice).order_by("pk")
    ]
    assert changes == [
        (date(2027, 1, 4), date(2027, 1, 5), True, True),
        (date(2027, 1, 5), date(2027, 1, 5), True, False),
    ]
    public = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "2027年1月5日" in public and "2027年1月4日" not in public and "暂按" not in public


def test_art8_3_the_people_concerned_are_told_of_the_new_end_date(
    client, people, december_notice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enter_2027_new_year(client, people)
    told = set(
        Notification.objects.filter(title__contains="公示截止日期调整").values_list(
            "recipient__username", flat=True
        )
    )
    assert {people.bureau.username, people.staff_a.username, people.supervisor_a.username} <= told
    assert people.staff_b.username not in told


def test_art8_3_entering_the_year_changes_nothing_when_the_holidays_miss_the_period(people, december_notice):
    CalendarDay.objects.create(
        day=date(2027, 2, 10), is_working_day=False, note="春节", source=CalendarSource.ADMIN
    )
    CalendarYear.objects.create(year=2027, source=CalendarSource.ADMIN)
    workdays.calendar_changed({2027})
    notice = PublicNotice.objects.get(pk=december_notice.pk)
    assert notice.ends_on == date(2027, 1, 4) and not notice.calendar_estimated  # confirmed, not moved
    assert not Notification.objects.filter(title__contains="公示截止日期调整").exists()


def test_art8_3_a_closed_notice_is_history_and_is_not_recomputed(people, december_notice):
    PublicNotice.objects.filter(pk=december_notice.pk).update(state=PublicNotice.State.CLOSED)
    CalendarDay.objects.create(
        day=date(2027, 1, 1), is_working_day=False, note="元旦", source=CalendarSource.ADMIN
    )
    CalendarYear.objects.create(year=2027, source=CalendarSource.ADMIN)
    workdays.calendar_changed({2027})
    assert PublicNotice.objects.get(pk=december_notice.pk).ends_on == date(2027, 1, 4)
    assert not NoticePeriodChange.objects.exists()


def test_art8_3_the_public_page_marks_a_provisional_end_date(client, december_notice):
    page = client.get(f"/notices/{december_notice.pk}/").content.decode()
    assert "2027年1月4日" in page and "暂按" in page
