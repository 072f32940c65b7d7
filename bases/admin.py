"""Admin views of pilot bases: for looking, not for changing state (that only happens through the
services, so that every change leaves a log row)."""

import re

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdminMixin

from bases.models import (
    BaseChange,
    CoBuilder,
    ConditionAffirmation,
    EquipmentItem,
    FundCategory,
    PilotBase,
    RepresentativePaper,
    TechnicalBacking,
)
from portal.admin import AuditLogAdmin, BoundedCountAdmin


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


class ApplicationYearFilter(admin.SimpleListFilter):
    """The application year among the last few years: fixed links instead of Django's distinct
    values of the column (a scan of every base to draw the filter)."""

    title = _("申报年度")
    parameter_name = "application_year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [(str(year), str(year)) for year in range(this_year, this_year - 6, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(application_year=int(value)) if value and value.isdigit() else queryset


@admin.register(PilotBase)
class PilotBaseAdmin(GuardedModelAdminMixin, BoundedCountAdmin):
    list_display = ["name", "host", "supervising_unit", "status", "application_year", "status_changed_at"]
    # Filters with fixed choices (no scan of the table for its distinct values) and the order of the
    # list's index base_recent_idx: the changelist costs the same at 100,000 bases.
    list_filter = ["status", "construction_mode", "kind", ApplicationYearFilter, "supervising_unit"]
    ordering = ["-status_changed_at", "-id"]
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
    search_fields = ["base__name", "field", "old_value", "new_value"]
    list_select_related = ["base"]


class FundCategoryForm(forms.ModelForm):
    """Art. 10: the bureau's expense categories. The code is made from the English name (or a number)
    when left blank; names are checked after trimming, so "  " or a second "研发" is refused."""

    code = forms.SlugField(
        label=_("代码"),
        max_length=20,
        required=False,
        help_text=_("可留空，由系统生成；只能含英文字母、数字、连字符。"),
    )

    class Meta:
        model = FundCategory
        fields = ["name", "name_en", "code", "position", "active"]
        error_messages = {"name": {"required": _("请填写类别名称。")}}

    def clean_name(self):
        name = re.sub(r"\s+", "", self.cleaned_data.get("name") or "")
        if not name:
            raise forms.ValidationError(_("请填写类别名称。"))
        if FundCategory.objects.exclude(pk=self.instance.pk).filter(name=name).exists():
            raise forms.ValidationError(_("已有名为“%(name)s”的支出类别。") % {"name": name})
        return name

    def clean_code(self):
        code = self.cleaned_data.get("code") or self.instance.code
        if not code:
            base = slugify(self.data.get("name_en") or "")[:16] or "category"
            code, n = base, 2
            while FundCategory.objects.filter(code=code).exists():
                code, n = f"{base}-{n}", n + 1
        elif FundCategory.objects.exclude(pk=self.instance.pk).filter(code=code).exists():
            raise forms.ValidationError(_("代码“%(code)s”已被使用。") % {"code": code})
        return code


@admin.register(FundCategory)
class FundCategoryAdmin(admin.ModelAdmin):
    """Art. 10 "建设、研发、合作交流等": the bureau adds categories and retires them; a category is
    never deleted, so the entries booked under it keep it."""

    form = FundCategoryForm
    list_display = ["name", "name_en", "code", "position", "active"]
    list_editable = ["position", "active"]
    ordering = ["position", "pk"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False
