"""Admin for the working-day calendar: what an administrator enters wins over the holiday library."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.models import CalendarDay, CalendarSource, CalendarYear

WEEKDAYS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]


class _YearFilter(admin.SimpleListFilter):
    """Filter calendar days by year, listing the years present in the table."""

    title = _("年份")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("day", "year", order="DESC")
        return [(str(day.year), _("%(year)d年") % {"year": day.year}) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(day__year=int(self.value()))
        return queryset


class _AdminEntryMixin:
    """An entry saved through the admin is an administrator's: it wins over the library (SPEC §2)."""

    def save_model(self, request, obj, form, change):
        obj.source = CalendarSource.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(CalendarDay)
class CalendarDayAdmin(_AdminEntryMixin, admin.ModelAdmin):
    list_display = ["day", "weekday", "is_working_day", "note", "source", "updated_at"]
    list_filter = [_YearFilter, "source", "is_working_day"]
    search_fields = ["note"]
    date_hierarchy = "day"
    fields = ["day", "is_working_day", "note", "source", "updated_at"]
    readonly_fields = ["source", "updated_at"]
    ordering = ["-day"]

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return WEEKDAYS[obj.day.weekday()]


@admin.register(CalendarYear)
class CalendarYearAdmin(_AdminEntryMixin, admin.ModelAdmin):
    list_display = ["year", "source", "note", "updated_at"]
    list_filter = ["source"]
    search_fields = ["year", "note"]
    fields = ["year", "note", "source", "updated_at"]
    readonly_fields = ["source", "updated_at"]
