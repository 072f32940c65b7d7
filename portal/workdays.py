"""Working days: statutory holidays, make-up working days and the public-notice period.

A public notice (公示, Art. 8-3) lasts N working days. Working days follow the State Council's annual
arrangement of statutory holidays and make-up working days, which the portal keeps in its own tables
(``portal.models.CalendarDay`` / ``CalendarYear``): seeded from the ``chinesecalendar`` library for
the years it covers, with administrators' entries winning. The library is read only when seeding
(migration 0002, ``manage.py sync_calendar``), never at request time: it raises NotImplementedError
for years it does not know yet, while the portal must keep working.

A year not listed in ``CalendarYear`` (the next year's arrangement is published only in
November–December) counts weekends only. Every result that touched such a year is a ``WorkingDate``
whose ``uncovered_years`` names those years, and ``uncovered_years_warning`` gives the sentence that
every screen computing such a date shows.

The functions take an optional ``calendar``: a ``WorkCalendar`` built from the database
(``WorkCalendar.from_db``) or from plain dicts for pure tests. Without one they read the database
lazily, one range of years at a time, for the years they touch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import chinese_calendar  # read by _library_days only, when seeding: never at request time (see above)
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from portal.models import CalendarDay, CalendarSource, CalendarYear
from portal.text import join_list

__all__ = [
    "SHANGHAI",
    "SyncResult",
    "WorkCalendar",
    "WorkingDate",
    "add_working_days",
    "calendar_changed",
    "is_working_day",
    "notice_end_date",
    "notice_start_date",
    "objection_deadline",
    "register_recompute",
    "sync_calendar_from_library",
    "uncovered_years_warning",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)


# --- results ------------------------------------------------------------------------------------


class WorkingDate(date):
    """A date computed over the working-day calendar, with the years it could only estimate.

    ``uncovered_years`` are the years the computation touched whose holiday arrangement is not in
    the calendar (only weekends were counted there); ``is_estimate`` is True when there are any.
    It compares equal to (and hashes like) the plain date. Date arithmetic on it returns a date
    without that information.
    """

    uncovered_years: frozenset[int]

    def __new__(cls, year: int, month: int, day: int, uncovered_years: Iterable[int] = ()) -> WorkingDate:
        self = super().__new__(cls, year, month, day)
        self.uncovered_years = frozenset(uncovered_years)
        return self

    @classmethod
    def of(cls, day: date, uncovered_years: Iterable[int] = ()) -> WorkingDate:
        return cls(day.year, day.month, day.day, uncovered_years)

    @property
    def is_estimate(self) -> bool:
        return bool(self.uncovered_years)

    def __reduce__(self):
        return (type(self), (self.year, self.month, self.day, tuple(sorted(self.uncovered_years))))

    def __repr__(self) -> str:
        years = sorted(self.uncovered_years)
        return f"WorkingDate({self.year}, {self.month}, {self.day}, uncovered_years={years})"


def uncovered_years_warning(result: object) -> str | None:
    """The warning to show next to a date computed over years whose holidays are not entered yet.

    ``result`` is a WorkingDate (anything else has nothing to warn about). None when nothing was
    estimated.
    """
    years = sorted(getattr(result, "uncovered_years", ()) or ())
    if not years:
        return None
    listed = join_list(gettext("%(year)d年") % {"year": year} for year in years)
    return gettext("%(years)s的法定节假日安排尚未录入，日期仅按周末推算，请在节假日安排公布后核对。") % {
        "years": listed
    }


# --- the calendar -------------------------------------------------------------------------------


def _as_date(day: date) -> date:
    if isinstance(day, datetime):
        # A datetime's calendar day depends on its time zone: make the caller choose the local date.
        raise TypeError(gettext("请传入日期（date），而不是日期时间（datetime）。"))
    return day


class WorkCalendar:
    """Which days are working days, and which years' arrangements are known.

    ``WorkCalendar(overrides={date: is_working_day}, covered_years={2026})`` is a pure calendar for
    tests and previews: a day in ``overrides`` is what it says, any other day follows the plain rule
    (Monday–Friday work). ``WorkCalendar.from_db(start_year, end_year)`` reads the tables for that
    range (one query per table) and any further year the first time it is asked about it.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None, covered_years: Iterable[int] = ()):
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._covered_years: set[int] = set(covered_years)
        self._loaded_years: set[int] | None = None  # None: not backed by the database

    @classmethod
    def from_db(cls, start_year: int, end_year: int | None = None) -> WorkCalendar:
        """A calendar backed by the database, with ``start_year``…``end_year`` read at once."""
        calendar = cls._db_backed()
        calendar._load(start_year, start_year if end_year is None else end_year)
        return calendar

    @classmethod
    def _db_backed(cls) -> WorkCalendar:
        calendar = cls()
        calendar._loaded_years = set()
        return calendar

    def _load(self, start_year: int, end_year: int) -> None:
        assert self._loaded_years is not None
        days = CalendarDay.objects.filter(day__range=(date(start_year, 1, 1), date(end_year, 12, 31)))
        self._overrides.update(days.values_list("day", "is_working_day"))
        years = CalendarYear.objects.filter(year__range=(start_year, end_year))
        self._covered_years.update(years.values_list("year", flat=True))
        self._loaded_years.update(range(start_year, end_year + 1))

    def _ensure_loaded(self, year: int) -> None:
        if self._loaded_years is not None and year not in self._loaded_years:
            # Most computations that leave a year run into the next one: read both at once.
            self._load(year, min(year + 1, date.max.year))

    def is_working_day(self, day: date) -> bool:
        day = _as_date(day)
        self._ensure_loaded(day.year)
        override = self._overrides.get(day)
        return override if override is not None else day.weekday() < 5

    def is_covered(self, year: int) -> bool:
        """Whether the official holiday arrangement of ``year`` is in this calendar."""
        self._ensure_loaded(year)
        return year in self._covered_years

    def uncovered(self, years: Iterable[int]) -> frozenset[int]:
        return frozenset(year for year in set(years) if not self.is_covered(year))


def _calendar(calendar: WorkCalendar | None) -> WorkCalendar:
    return calendar if calendar is not None else WorkCalendar._db_backed()


# --- the arithmetic -----------------------------------------------------------------------------


def is_working_day(day: date, calendar: WorkCalendar | None = None) -> bool:
    """Whether ``day`` is a working day (statutory holidays off, make-up working days on)."""
    return _calendar(calendar).is_working_day(day)


def add_working_days(start: date, n: int, calendar: WorkCalendar | None = None) -> WorkingDate:
    """The date ``n`` working days after ``start``, not counting ``start`` itself.

    2026-09-30 + 5 → 2026-10-13 (National Day 10-01…10-07 off, Saturday 10-10 a make-up working day).
    ``n`` = 0 returns ``start``. The result reports the years it could only estimate.
    """
    start = _as_date(start)
    if n < 0:
        raise ValueError(gettext("工作日数不能为负数。"))
    calendar = _calendar(calendar)
    day, remaining, touched = start, n, set()
    while remaining:
        day += ONE_DAY
        touched.add(day.year)
        if calendar.is_working_day(day):
            remaining -= 1
    return WorkingDate.of(day, calendar.uncovered(touched))


def notice_start_date(start: date, calendar: WorkCalendar | None = None) -> WorkingDate:
    """The first working day of a notice published on ``start``: ``start`` itself if it is a working
    day, otherwise the next working day (published on a Saturday → counted from Monday)."""
    start = _as_date(start)
    calendar = _calendar(calendar)
    day, touched = start, {start.year}
    while not calendar.is_working_day(day):
        day += ONE_DAY
        touched.add(day.year)
    return WorkingDate.of(day, calendar.uncovered(touched))


def notice_end_date(start: date, working_days: int, calendar: WorkCalendar | None = None) -> WorkingDate:
    """Art. 8-3 (portal rule on working days): the last day of a notice of ``working_days`` working days.

    The period starts on the publication date if it is a working day (otherwise on the next working
    day) and ends on the last of its N working days: a 7-working-day notice published 2026-09-30 ends
    2026-10-14. Objections are accepted until ``objection_deadline`` of that day.
    """
    if working_days < 1:
        raise ValueError(gettext("公示期至少为1个工作日。"))
    calendar = _calendar(calendar)
    first = notice_start_date(start, calendar)
    end = add_working_days(first, working_days - 1, calendar)
    return WorkingDate.of(end, first.uncovered_years | end.uncovered_years)


def objection_deadline(end_date: date) -> datetime:
    """The moment a notice period ending on ``end_date`` closes: 24:00 Asia/Shanghai of that day.

    Returned as the aware datetime of the next day's 00:00 in Asia/Shanghai; an objection is on time
    strictly before it (``lodged_at < objection_deadline(end)``).
    """
    next_day = _as_date(end_date) + ONE_DAY
    return datetime(next_day.year, next_day.month, next_day.day, tzinfo=SHANGHAI)


# --- deadlines computed over the calendar --------------------------------------------------------

_RECOMPUTERS: list[Callable[[frozenset[int]], object]] = []


def register_recompute(recompute: Callable[[frozenset[int]], object]) -> None:
    """Register a function that recomputes the stored working-day deadlines of one kind of record
    (public notices, Art. 8-3) for the years whose calendar changed. An app registers it in its
    AppConfig.ready(), so this module never names the apps above it."""
    if recompute not in _RECOMPUTERS:
        _RECOMPUTERS.append(recompute)


def calendar_changed(years: Iterable[int]) -> None:
    """The calendar of ``years`` changed (a year's arrangement entered, a day corrected): every stored
    deadline computed over those years is recomputed now, in the transaction that changed the
    calendar, and the people concerned are told by the recomputing app (Art. 8-3: a provisional date
    does not stay wrong once the year is known)."""
    years = frozenset(int(year) for year in years)
    if not years:
        return
    for recompute in list(_RECOMPUTERS):
        recompute(years)


# --- seeding from the holiday library -----------------------------------------------------------


class SyncResult(NamedTuple):
    days_written: int  # library rows created, changed or removed (admin rows are never touched)
    years: tuple[int, ...]  # the years the library covers, now listed in CalendarYear


def _library_days() -> tuple[dict[date, tuple[bool, str]], str]:
    """Every day the installed chinesecalendar lists, as {day: (is_working_day, note)}, and its version.

    The only reader of the library: it must never be consulted at request time.
    """

    def chinese(name: str) -> str:
        try:
            return chinese_calendar.Holiday(name).chinese
        except ValueError:  # a name this version's enum does not know: keep the library's text
            return name

    days = {day: (False, chinese(name)) for day, name in chinese_calendar.holidays.items()}
    days.update({day: (True, chinese(name) + "调休上班") for day, name in chinese_calendar.workdays.items()})
    return days, chinese_calendar.__version__


def sync_calendar_from_library(day_model=CalendarDay, year_model=CalendarYear) -> SyncResult:
    """Write the holiday library's arrangement into the calendar tables; administrators' rows win.

    For every year the installed chinesecalendar covers: one ``CalendarDay`` per holiday (off) and
    per make-up working day (on), ``source=library``; a day whose row has ``source=admin`` is left as
    it is; a library row the library no longer lists (a correction in a newer version) is removed;
    the year is listed in ``CalendarYear`` unless an administrator's row is already there.
    Idempotent. ``day_model``/``year_model`` are the migration's historical models or the real ones.
    """
    library, version = _library_days()
    first_year, last_year = min(library).year, max(library).year
    years = tuple(range(first_year, last_year + 1))
    now = timezone.now()
    library_source, admin_source = CalendarSource.LIBRARY.value, CalendarSource.ADMIN.value

    with transaction.atomic():
        existing = {
            row.day: row
            for row in day_model.objects.filter(day__range=(date(first_year, 1, 1), date(last_year, 12, 31)))
        }
        to_create, to_update = [], []
        for day, (working, note) in sorted(library.items()):
            row = existing.get(day)
            if row is None:
                to_create.append(day_model(day=day, is_working_day=working, note=note, source=library_source))
            elif row.source == library_source and (row.is_working_day, row.note) != (working, note):
                row.is_working_day, row.note, row.updated_at = working, note, now
                to_update.append(row)
        to_delete = [
            row.pk for day, row in existing.items() if row.source == library_source and day not in library
        ]
        day_model.objects.bulk_create(to_create)
        day_model.objects.bulk_update(to_update, ["is_working_day", "note", "updated_at"])
        day_model.objects.filter(pk__in=to_delete).delete()

        year_note = f"据节假日库 chinesecalendar {version}"  # stored data, not interface text
        year_rows = {row.year: row for row in year_model.objects.filter(year__in=years)}
        for year in years:
            row = year_rows.get(year)
            if row is None:
                year_model.objects.create(year=year, source=library_source, note=year_note)
            elif row.source != admin_source and row.note != year_note:
                row.note = year_note
                row.save(update_fields=["note", "updated_at"])

    return SyncResult(len(to_create) + len(to_update) + len(to_delete), years)
