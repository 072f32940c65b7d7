"""Working days for public notices (Art. 8-3 公示).

The database tests read the calendar seeded by migration 0002 from the chinesecalendar library; the
pure tests build a WorkCalendar from dicts and never touch the database.
"""

import pickle
from datetime import UTC, date, datetime, timedelta, timezone
from io import StringIO

import chinese_calendar
import pytest
from django.contrib import admin
from django.core.management import call_command

from portal.admin import CalendarDayAdmin, CalendarYearAdmin
from portal.models import CalendarDay, CalendarSource, CalendarYear
from portal.workdays import (
    WorkCalendar,
    WorkingDate,
    add_working_days,
    is_working_day,
    notice_end_date,
    notice_start_date,
    objection_deadline,
    sync_calendar_from_library,
    uncovered_years_warning,
)

BEIJING = timezone(timedelta(hours=8))
NATIONAL_DAY_2026 = [date(2026, 10, day) for day in range(1, 8)]
MAKE_UP_SATURDAY_2026 = date(2026, 10, 10)
WARNING_2027 = "2027年的法定节假日安排尚未录入，日期仅按周末推算，请在节假日安排公布后核对。"


# --- the seeded calendar ------------------------------------------------------------------------


@pytest.mark.django_db
def test_seeded_calendar_has_2026_national_day_off_and_saturday_10_10_working():
    for day in NATIONAL_DAY_2026:
        row = CalendarDay.objects.get(day=day)
        assert (row.is_working_day, row.note, row.source) == (False, "国庆节", CalendarSource.LIBRARY)
        assert not is_working_day(day)
    make_up = CalendarDay.objects.get(day=MAKE_UP_SATURDAY_2026)
    assert (make_up.is_working_day, make_up.note) == (True, "国庆节调休上班")
    assert is_working_day(MAKE_UP_SATURDAY_2026)
    assert is_working_day(date(2026, 10, 8))
    assert not is_working_day(date(2026, 10, 11))  # an ordinary Sunday: no row, the plain rule


def test_library_agrees_with_spec_on_2026_national_day():
    # The State Council's 2026 notice: National Day 10-01…10-07 off and Saturday 10-10 a make-up working day.
    assert all(chinese_calendar.is_holiday(day) for day in NATIONAL_DAY_2026)
    assert chinese_calendar.is_workday(MAKE_UP_SATURDAY_2026)
    assert MAKE_UP_SATURDAY_2026.weekday() == 5


@pytest.mark.django_db
def test_seeded_years_are_those_the_library_covers():
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert years == set(range(2004, 2027))
    assert CalendarYear.objects.get(year=2026).source == CalendarSource.LIBRARY


@pytest.mark.django_db
def test_seeded_rows_match_the_library_exactly():
    rows = dict(CalendarDay.objects.values_list("day", "is_working_day"))
    expected = dict.fromkeys(chinese_calendar.holidays, False) | dict.fromkeys(
        chinese_calendar.workdays, True
    )
    assert rows == expected


# --- counting from the database ----------------------------------------------------------------


@pytest.mark.django_db
def test_five_working_days_after_2026_09_30_is_2026_10_13():
    result = add_working_days(date(2026, 9, 30), 5)
    assert result == date(2026, 10, 13)
    assert not result.is_estimate


@pytest.mark.django_db
def test_art8_3_seven_day_notice_published_2026_09_30_ends_2026_10_14():
    end = notice_end_date(date(2026, 9, 30), 7)
    assert end == date(2026, 10, 14)
    assert end.uncovered_years == frozenset()
    assert uncovered_years_warning(end) is None


@pytest.mark.django_db
def test_art8_3_notice_published_on_a_holiday_starts_on_the_next_working_day():
    assert notice_start_date(date(2026, 10, 3)) == date(2026, 10, 8)
    assert notice_end_date(date(2026, 10, 3), 7) == date(2026, 10, 15)


@pytest.mark.django_db
def test_art8_3_notice_published_on_a_saturday_starts_on_monday():
    assert notice_start_date(date(2026, 11, 7)) == date(2026, 11, 9)
    assert notice_end_date(date(2026, 11, 7), 7) == date(2026, 11, 17)


@pytest.mark.django_db
def test_art8_3_notice_published_on_a_make_up_saturday_starts_that_day():
    assert notice_start_date(MAKE_UP_SATURDAY_2026) == MAKE_UP_SATURDAY_2026
    assert notice_end_date(MAKE_UP_SATURDAY_2026, 7) == date(2026, 10, 19)


@pytest.mark.django_db
def test_year_without_arrangement_counts_weekends_only_and_is_reported():
    end = notice_end_date(date(2027, 3, 1), 7)
    assert end == date(2027, 3, 9)
    assert end.uncovered_years == frozenset({2027})
    assert end.is_estimate
    assert uncovered_years_warning(end) == WARNING_2027


@pytest.mark.django_db
def test_computation_crossing_into_2027_reports_2027():
    end = notice_end_date(date(2026, 12, 28), 7)
    assert end == date(2027, 1, 5)  # 2027-01-01 counted as a working day: its holiday is not known yet
    assert end.uncovered_years == frozenset({2027})
    assert add_working_days(date(2026, 12, 30), 3).uncovered_years == frozenset({2027})


@pytest.mark.django_db
def test_computation_staying_in_2026_does_not_report_2027():
    assert add_working_days(date(2026, 12, 1), 3).uncovered_years == frozenset()
    assert notice_end_date(date(2026, 12, 24), 6) == date(2026, 12, 31)
    assert not notice_end_date(date(2026, 12, 24), 6).is_estimate


@pytest.mark.django_db
def test_calendar_from_db_reads_a_range_in_one_query_per_table(django_assert_num_queries):
    with django_assert_num_queries(2):
        calendar = WorkCalendar.from_db(2026, 2027)
    with django_assert_num_queries(0):
        assert notice_end_date(date(2026, 9, 30), 7, calendar) == date(2026, 10, 14)
        assert notice_end_date(date(2026, 12, 28), 7, calendar).uncovered_years == {2027}


# --- administrators' entries --------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_override_wins_and_survives_sync_calendar():
    CalendarDay.objects.filter(day=MAKE_UP_SATURDAY_2026).update(
        is_working_day=False, note="市里另行安排", source=CalendarSource.ADMIN
    )
    assert notice_end_date(date(2026, 9, 30), 7) == date(2026, 10, 15)

    call_command("sync_calendar", stdout=StringIO())

    row = CalendarDay.objects.get(day=MAKE_UP_SATURDAY_2026)
    assert (row.is_working_day, row.note, row.source) == (False, "市里另行安排", CalendarSource.ADMIN)
    assert notice_end_date(date(2026, 9, 30), 7) == date(2026, 10, 15)


@pytest.mark.django_db
def test_admin_entered_2027_arrangement_is_used_and_no_longer_an_estimate():
    CalendarYear.objects.create(year=2027, source=CalendarSource.ADMIN, note="国办发明电〔2026〕X号")
    CalendarDay.objects.create(
        day=date(2027, 1, 1), is_working_day=False, note="元旦", source=CalendarSource.ADMIN
    )

    end = notice_end_date(date(2026, 12, 28), 7)

    assert end == date(2027, 1, 6)
    assert not end.is_estimate
    call_command("sync_calendar", stdout=StringIO())
    assert CalendarYear.objects.get(year=2027).source == CalendarSource.ADMIN
    assert CalendarDay.objects.get(day=date(2027, 1, 1)).source == CalendarSource.ADMIN


@pytest.mark.django_db
def test_an_entry_saved_in_the_admin_is_an_admin_entry():
    row = CalendarDay.objects.get(day=MAKE_UP_SATURDAY_2026)
    row.is_working_day = False
    CalendarDayAdmin(CalendarDay, admin.site).save_model(request=None, obj=row, form=None, change=True)
    year = CalendarYear(year=2027, note="国办发明电〔2026〕X号", source=CalendarSource.LIBRARY)
    CalendarYearAdmin(CalendarYear, admin.site).save_model(request=None, obj=year, form=None, change=False)

    assert CalendarDay.objects.get(day=MAKE_UP_SATURDAY_2026).source == CalendarSource.ADMIN
    assert CalendarYear.objects.get(year=2027).source == CalendarSource.ADMIN


@pytest.mark.django_db
def test_sync_calendar_is_idempotent():
    before = list(CalendarDay.objects.order_by("day").values_list("day", "is_working_day", "note", "source"))

    first = sync_calendar_from_library(CalendarDay, CalendarYear)
    second = sync_calendar_from_library(CalendarDay, CalendarYear)

    assert first.days_written == second.days_written == 0  # the migration already seeded everything
    assert first.years == tuple(range(2004, 2027))
    after = list(CalendarDay.objects.order_by("day").values_list("day", "is_working_day", "note", "source"))
    assert after == before


@pytest.mark.django_db
def test_sync_calendar_repairs_library_rows_and_removes_ones_the_library_dropped():
    CalendarDay.objects.filter(day=date(2026, 10, 1)).delete()
    CalendarDay.objects.filter(day=MAKE_UP_SATURDAY_2026).update(is_working_day=False)
    CalendarDay.objects.create(day=date(2026, 11, 11), is_working_day=False, source=CalendarSource.LIBRARY)

    days_written, years = sync_calendar_from_library(CalendarDay, CalendarYear)

    assert days_written == 3
    assert 2026 in years
    assert not CalendarDay.objects.get(day=date(2026, 10, 1)).is_working_day
    assert CalendarDay.objects.get(day=MAKE_UP_SATURDAY_2026).is_working_day
    assert not CalendarDay.objects.filter(day=date(2026, 11, 11)).exists()


@pytest.mark.django_db
def test_sync_calendar_command_reports_in_chinese():
    out = StringIO()
    call_command("sync_calendar", stdout=out)
    text = out.getvalue()
    assert "节假日库覆盖2004–2026年" in text
    assert "日历已是最新" in text


# --- the objection deadline ---------------------------------------------------------------------


def test_art8_3_objections_close_at_24_00_shanghai_of_the_end_date():
    deadline = objection_deadline(date(2026, 10, 14))
    assert deadline == datetime(2026, 10, 15, 0, 0, tzinfo=BEIJING)
    assert deadline.isoformat() == "2026-10-15T00:00:00+08:00"
    assert datetime(2026, 10, 14, 23, 59, 59, tzinfo=BEIJING) < deadline
    assert not datetime(2026, 10, 15, 0, 0, tzinfo=BEIJING) < deadline
    assert deadline == datetime(2026, 10, 14, 16, 0, tzinfo=UTC)


def test_objection_deadline_accepts_a_working_date():
    assert objection_deadline(WorkingDate(2026, 10, 14, {2027})) == datetime(2026, 10, 15, tzinfo=BEIJING)


# --- pure calendar (no database) ----------------------------------------------------------------


def _national_day_2026() -> WorkCalendar:
    overrides = dict.fromkeys(NATIONAL_DAY_2026, False) | {MAKE_UP_SATURDAY_2026: True}
    return WorkCalendar(overrides=overrides, covered_years={2026})


def test_pure_calendar_counts_holidays_and_make_up_days():
    calendar = _national_day_2026()
    assert add_working_days(date(2026, 9, 30), 5, calendar) == date(2026, 10, 13)
    assert notice_end_date(date(2026, 9, 30), 7, calendar) == date(2026, 10, 14)
    assert not is_working_day(date(2026, 10, 5), calendar)
    assert is_working_day(MAKE_UP_SATURDAY_2026, calendar)


def test_pure_calendar_reports_years_not_covered():
    calendar = _national_day_2026()
    end = notice_end_date(date(2027, 12, 27), 10, calendar)
    assert end == date(2028, 1, 7)
    assert end.uncovered_years == frozenset({2027, 2028})
    assert uncovered_years_warning(end) == (
        "2027年、2028年的法定节假日安排尚未录入，日期仅按周末推算，请在节假日安排公布后核对。"
    )


def test_zero_working_days_after_start_is_start():
    assert add_working_days(date(2026, 10, 3), 0, _national_day_2026()) == date(2026, 10, 3)


def test_one_day_notice_on_a_working_day_ends_that_day():
    assert notice_end_date(date(2026, 9, 30), 1, _national_day_2026()) == date(2026, 9, 30)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 9, 30), -1, _national_day_2026())
    with pytest.raises(ValueError):
        notice_end_date(date(2026, 9, 30), 0, _national_day_2026())


def test_a_datetime_is_refused_because_its_day_depends_on_the_time_zone():
    with pytest.raises(TypeError):
        is_working_day(datetime(2026, 10, 1, 20, 0, tzinfo=UTC), _national_day_2026())


def test_working_date_compares_equal_to_the_plain_date():
    result = WorkingDate(2027, 3, 9, {2027})
    assert result == date(2027, 3, 9)
    assert hash(result) == hash(date(2027, 3, 9))
    assert {date(2027, 3, 9): "x"}[result] == "x"
    assert result.is_estimate
    assert not WorkingDate.of(date(2026, 3, 9)).is_estimate


def test_working_date_keeps_its_uncovered_years_through_pickle():
    restored = pickle.loads(pickle.dumps(WorkingDate(2027, 3, 9, {2027})))
    assert restored == date(2027, 3, 9)
    assert restored.uncovered_years == frozenset({2027})


def test_no_warning_for_a_plain_date():
    assert uncovered_years_warning(date(2027, 3, 9)) is None
