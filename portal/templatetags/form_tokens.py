"""`{% load form_tokens %}{% form_token %}` in a create form: a one-time token, so that posting the
form twice has one effect (portal.resilience.submitted_once)."""

from django import template
from django.utils.html import format_html

from portal.resilience import FORM_TOKEN_FIELD, form_token_new

register = template.Library()


@register.simple_tag
def form_token():
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, form_token_new())
