"""Template helpers of the bases screens: `{% load bases_tags %}`."""

from django import template
from django.utils.html import format_html

from bases.models import Status

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
