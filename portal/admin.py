"""Admin for the working-day calendar (what an administrator enters wins over the holiday library),
the policy parameters, and the read-only admin every audit record uses (AuditLogAdmin)."""

from django import forms
from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal import workdays
from portal.models import CalendarDay, CalendarSource, CalendarYear, Parameter
from portal.parameters import DEFINITIONS, _convert, set_parameter
from portal.text import join_list


class BoundedCountPaginator(Paginator):
    """The admin's pages of a big table (100,000 bases, their log, notifications, logins) without
    counting every row: the count stops at CAP (`SELECT COUNT(*) FROM (… LIMIT CAP + 1)`), so a
    changelist, filtered or not, costs the same at any size; past CAP it shows "CAP+" rows and the
    pages up to there (a search or a filter narrows further)."""

    CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.CAP + 1].count()

    @property
    def capped(self):
        return self.count > self.CAP


class BoundedCountAdmin(admin.ModelAdmin):
    """A changelist that never counts the whole table: no "N total" beside the filtered count (Django's
    second full count), and the filtered count bounded (BoundedCountPaginator). Every admin of a table
    that grows with the bases uses it (tests/portal/test_admin_scale.py)."""

    paginator = BoundedCountPaginator
    show_full_result_count = False
    # Newest first on the primary key (an append-only table's order of time) unless an admin names
    # another indexed order; no date hierarchy (it reads the dates of every row to draw its links).
    ordering = ("-pk",)
    date_hierarchy = None


class AuditLogAdmin(BoundedCountAdmin):
    """An audit record (a state transition, an issued document, a draw, a job run, a login): shown
    in the admin for reading only. No one adds, changes or deletes one here — not even a superuser;
    only the service that writes it does (docs/security.md, tests/security/test_audit_log.py)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    """An entry saved through the admin is an administrator's: it wins over the library."""

    def save_model(self, request, obj, form, change):
        obj.source = CalendarSource.ADMIN
        previous = type(obj).objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        workdays.calendar_changed({self._year(obj), *([self._year(previous)] if previous else [])})

    def delete_model(self, request, obj):
        year = self._year(obj)
        super().delete_model(request, obj)
        workdays.calendar_changed({year})

    def delete_queryset(self, request, queryset):
        years = {self._year(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        workdays.calendar_changed(years)

    @staticmethod
    def _year(obj) -> int:
        return obj.day.year if hasattr(obj, "day") else obj.year


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


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    """Policy parameters: an override row per key; the form refuses values of the wrong type."""

    list_display = ["key", "label", "value", "default", "updated_at"]
    search_fields = ["key"]

    @admin.display(description=_("名称"))
    def label(self, obj):
        definition = DEFINITIONS.get(obj.key)
        return definition.label if definition else "—"

    @admin.display(description=_("默认值"))
    def default(self, obj):
        definition = DEFINITIONS.get(obj.key)
        return definition.default if definition else "—"

    def save_model(self, request, obj, form, change):
        set_parameter(obj.key, obj.value)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class CheckedForm(form):
            def clean(self):
                data = super().clean()
                key, value = data.get("key"), data.get("value")
                if key not in DEFINITIONS:
                    raise forms.ValidationError(
                        _("未知参数。可用参数：%(keys)s") % {"keys": join_list(sorted(DEFINITIONS))}
                    )
                if value is not None:
                    _convert(key, value)
                return data

        return CheckedForm
