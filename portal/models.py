"""The working-day calendar: statutory holidays and make-up working days.

The plain rule is "Monday–Friday work, Saturday–Sunday rest". ``CalendarDay`` holds the days that differ
from it (a weekday holiday, a weekend make-up working day); holiday rows falling on a weekend may be
stored too, so that a whole holiday reads as one block. ``CalendarYear`` lists the years whose official
arrangement is known; a year not listed counts weekends only and every screen says so.

Rows come from a maintained holiday library (``source=library``, seeded by migration 0002 and the
``sync_calendar`` command) or from an administrator (``source=admin``). There is one row per day; an
administrator's row replaces the library's and a re-seed never overwrites it. The arithmetic lives in
``portal.workdays``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import updated_field


class CalendarSource(models.TextChoices):
    LIBRARY = "library", _("节假日库")
    ADMIN = "admin", _("管理员录入")


def source_field() -> models.CharField:
    """Where a calendar row came from: the holiday library or an administrator."""
    return models.CharField(
        _("来源"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.ADMIN
    )


class CalendarDay(models.Model):
    """A day whose status differs from (or restates) the plain weekday/weekend rule."""

    day = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(
        _("说明"), max_length=100, blank=True, help_text=_("例如“国庆节”“国庆节调休上班”。")
    )
    source = source_field()
    updated_at = updated_field(_("更新时间"))

    class Meta:
        ordering = ["day"]
        verbose_name = verbose_name_plural = _("节假日安排")

    def __str__(self):
        status = _("上班") if self.is_working_day else _("休息")
        return f"{self.day.isoformat()} {status} {self.note}".rstrip()


class CalendarYear(models.Model):
    """A year whose official holiday arrangement is in ``CalendarDay`` ("covered")."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = source_field()
    note = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("例如国务院办公厅通知的文号。")
    )
    updated_at = updated_field(_("更新时间"))

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = _("已录入节假日安排的年份")

    def __str__(self):
        return _("%(year)d年") % {"year": self.year}


class Parameter(models.Model):
    """A policy parameter set by the bureau: what the Measures leave to the bureau's decision is a
    parameter, never a number in the code. Defaults and types live in portal/parameters.py; a row
    here overrides."""

    key = models.CharField(_("参数"), max_length=50, unique=True)
    value = models.CharField(_("取值"), max_length=100)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = updated_field(_("更新时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("政策参数")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key} = {self.value}"


class ListItem(models.Model):
    """A named row of a list kept in the order a person gave it (`position`, then the order of entry):
    an application's co-builders, backing institutions, papers and equipment; a scoring template's or a
    panel's criteria. Each declares its own `position` field where it belongs among its fields (the
    application's lists put it last, after their content, and the admin shows it there)."""

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name
