"""Filters of the bases list: state, county, R&D direction, construction mode,
year, free text on name and host."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bases.models import ConstructionMode, PilotBase, Status
from portal.accounts.models import Region

SORTS = {
    "updated": ("-status_changed_at", "-pk"),
    "oldest": ("status_changed_at", "pk"),
    "name": ("name", "pk"),
    "host": ("host__name", "pk"),
    "year": ("-application_year", "name"),
    "status": ("status", "name"),
}


class BaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="filter_text")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices, empty_label=_("全部状态"))
    county = django_filters.ChoiceFilter(
        label=_("区县"), field_name="host__region", choices=Region.choices, empty_label=_("全部区县")
    )
    rd_direction = django_filters.CharFilter(label=_("研发方向"), lookup_expr="icontains")
    construction_mode = django_filters.ChoiceFilter(
        label=_("建设模式"), choices=ConstructionMode.choices, empty_label=_("全部模式")
    )
    year = django_filters.NumberFilter(label=_("申报年度"), field_name="application_year")
    sort = django_filters.ChoiceFilter(
        label=_("排序"),
        method="filter_sort",
        empty_label=_("最近变动"),
        choices=[
            ("oldest", _("等待最久")),
            ("name", _("名称")),
            ("host", _("依托单位")),
            ("year", _("申报年度")),
            ("status", _("状态")),
        ],
    )

    class Meta:
        model = PilotBase
        fields = ()

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(host__name__icontains=value))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["updated"]))

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["updated"])
        return queryset
