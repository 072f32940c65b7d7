"""Admin views of pilot bases: for looking, not for changing state (that only happens through the
services, so that every change leaves a log row)."""

from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin

from bases.models import (
    BaseChange,
    CoBuilder,
    ConditionAffirmation,
    EquipmentItem,
    PilotBase,
    RepresentativePaper,
    TechnicalBacking,
)
from portal.admin import AuditLogAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CoBuilderInline(ReadOnlyInline):
    model = CoBuilder


class TechnicalBackingInline(ReadOnlyInline):
    model = TechnicalBacking


class PaperInline(ReadOnlyInline):
    model = RepresentativePaper


class EquipmentInline(ReadOnlyInline):
    model = EquipmentItem


class ConditionInline(ReadOnlyInline):
    model = ConditionAffirmation


@admin.register(PilotBase)
class PilotBaseAdmin(GuardedModelAdminMixin, admin.ModelAdmin):
    list_display = ["name", "host", "supervising_unit", "status", "application_year", "status_changed_at"]
    list_filter = ["status", "construction_mode", "kind", "application_year", "supervising_unit"]
    search_fields = ["name", "host__name", "host__uscc", "rd_direction"]
    list_select_related = ["host", "supervising_unit"]
    inlines = [CoBuilderInline, TechnicalBackingInline, PaperInline, EquipmentInline, ConditionInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PilotBase._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BaseChange)
class BaseChangeAdmin(AuditLogAdmin):
    """The history of applied changes (name, R&D direction, host unit) with the former values."""

    list_display = ["base", "field", "old_value", "new_value", "changed_on"]
    list_filter = ["field"]
    search_fields = ["base__name", "old_value", "new_value"]
    list_select_related = ["base"]
