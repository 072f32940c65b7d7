"""Template helpers of the bases screens: `{% load bases_tags %}`."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from bases.models import Status
from bases.selectors.lifecycle import base_lifecycle as lifecycle_steps

register = template.Library()


@register.filter
def status_badge(base):
    """`{{ base|status_badge }}`: the base's state as a coloured badge (grey once it is over, green
    when recognised, yellow when returned). A filter rather than an included template: the list
    writes twenty of them per page."""
    if base.is_terminal:
        colour = "text-bg-secondary"
    elif base.status == Status.RECOGNIZED:
        colour = "text-bg-success"
    elif base.status == Status.RETURNED:
        colour = "text-bg-warning"
    elif base.status == Status.DRAFT:
        colour = "text-bg-light border"
    else:
        colour = "text-bg-primary"
    return format_html(
        '<span class="badge rounded-pill status-badge status-{} {}">{}</span>',
        base.status,
        colour,
        base.get_status_display(),
    )


@register.inclusion_tag("bases/partials/_lifecycle.html")
def base_lifecycle(base):
    """`{% base_lifecycle base %}`: the base's ten steps (申请 … 年度考核) with the current one and its
    deadline, on every page of a base; the steps come from bases.selectors.lifecycle.base_lifecycle."""
    return {"base": base, "steps": lifecycle_steps(base, timezone.localdate())}


@register.filter
def verbose_name(model):
    """`{{ model|verbose_name }}`: a model's name ("建设计划任务书"). The template engine calls a model
    class it is given (an empty instance results), and `_meta` is out of a template's reach."""
    meta = getattr(model, "_meta", None)
    return meta.verbose_name if meta is not None else ""
