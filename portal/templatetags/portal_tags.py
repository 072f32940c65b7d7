"""Template helpers of the portal shell: `{% load portal_tags %}`.

For links that keep the current query string (pagination, sorting, filters) use Django's built-in
`{% querystring page=3 %}` / `{% querystring sort="name" page=None %}`; nothing here duplicates it.
"""

from datetime import timedelta

from django import template
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from portal.forms import merge_classes
from portal.forms import widget_kind as _widget_kind
from portal.guides import GUIDES
from portal.text import grouped_wan, grouped_yuan

register = template.Library()


@register.filter
def add_class(field, css_class):
    """`{{ form.name|add_class:"form-control-lg" }}`: the widget with extra classes, its own kept."""
    if not isinstance(field, BoundField):
        return field
    return field.as_widget(attrs={"class": merge_classes(field.field.widget.attrs.get("class"), css_class)})


@register.filter
def widget_kind(field):
    """The kind of control a bound field is (portal.forms.widget_kind): "input", "select", "checkbox"…"""
    if not isinstance(field, BoundField):
        return ""
    return _widget_kind(field.field.widget)


@register.filter
def elided_page_range(page_obj, on_each_side=2):
    """The page numbers to show around the current page, with `Paginator.ELLIPSIS` in the gaps."""
    paginator = page_obj.paginator
    return list(paginator.get_elided_page_range(page_obj.number, on_each_side=int(on_each_side), on_ends=1))


@register.filter
def duration(value):
    """A timedelta in words: "1 小时", "1 小时 30 分钟", "2 天"."""
    if not isinstance(value, timedelta):
        return ""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d 天", "%(count)d 天", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d 小时", "%(count)d 小时", hours) % {"count": hours})
    if minutes:
        parts.append(ngettext("%(count)d 分钟", "%(count)d 分钟", minutes) % {"count": minutes})
    if not parts:
        return gettext("不到 1 分钟")
    return " ".join(parts)


@register.filter
def yuan(amount):
    """An amount in yuan on a page: 200,000.00 元, the same figure as the documents print (the unit
    follows the page's language)."""
    if amount in (None, ""):
        return ""
    return gettext("%(amount)s 元") % {"amount": grouped_yuan(amount)}


@register.filter
def wan(amount):
    """An amount held in 万元 on a page: 360万元 (the unit follows the page's language)."""
    if amount in (None, ""):
        return ""
    return gettext("%(amount)s万元") % {"amount": grouped_wan(amount)}


@register.inclusion_tag("portal/_guide_link.html")
def guide_link(slug):
    """A link to the process's 办事指南 (portal.guides), or nothing for a process without one."""
    guide = GUIDES.get(slug)
    return {"guide": guide, "url": reverse("guide", args=[slug]) if guide else ""}
