"""How every form in the portal renders: Bootstrap 5 markup, labels, help and errors tied to the field.

`settings.FORM_RENDERER` names `PortalFormRenderer`, so `{{ form }}`, `{{ formset }}` and
`{{ form.field.as_field_group }}` use the templates in templates/forms/, and every widget, even one
placed by hand with `{{ form.field }}`, gets its Bootstrap class (`form-control`, `form-select`,
`form-check-input`, `form-range`) and `is-invalid` when the field has errors, from
`PortalBoundField`. A class set on the widget (`attrs={"class": "…"}`) is kept beside them.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.dateparse import parse_date
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

# What kind of control a widget is, for the field template's layout and the Bootstrap class.
HIDDEN = "hidden"
CHECKBOX = "checkbox"  # one checkbox: label after the box
CHOICES = "choices"  # radio buttons or a list of checkboxes: a fieldset with a legend
SELECT = "select"
MULTI = "multi"  # several controls side by side (SplitDateTimeWidget, SelectDateWidget)
RANGE = "range"
COLOR = "color"
INPUT = "input"  # text-like inputs, textareas, file inputs

_CSS_CLASS = {
    HIDDEN: "",
    CHECKBOX: "form-check-input",
    CHOICES: "form-check-input",
    SELECT: "form-select",
    RANGE: "form-range",
    COLOR: "form-control form-control-color",
    INPUT: "form-control",
}


def widget_kind(widget: forms.Widget) -> str:
    if widget.is_hidden:
        return HIDDEN
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is a RadioSelect
        return CHOICES
    if isinstance(widget, forms.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, forms.Select):  # SelectMultiple, NullBooleanSelect
        return SELECT
    if isinstance(widget, forms.MultiWidget | forms.SelectDateWidget):
        return MULTI
    input_type = getattr(widget, "input_type", None)
    if input_type == "range":
        return RANGE
    if input_type == "color":
        return COLOR
    return INPUT


def widget_css_class(widget: forms.Widget) -> str:
    kind = widget_kind(widget)
    if kind == MULTI:
        if isinstance(widget, forms.SelectDateWidget):
            return "form-select"
        subwidgets = getattr(widget, "widgets", [])
        if subwidgets and all(isinstance(w, forms.Select) for w in subwidgets):
            return "form-select"
        return "form-control"
    return _CSS_CLASS[kind]


def merge_classes(*classes: str | None) -> str:
    """Space-separated classes, each once, in order of first appearance."""
    seen: dict[str, None] = {}
    for value in classes:
        for name in (value or "").split():
            seen.setdefault(name, None)
    return " ".join(seen)


class PortalBoundField(BoundField):
    """A bound field whose widget carries the Bootstrap class of its kind, and `is-invalid`."""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        attrs["class"] = merge_classes(
            widget_css_class(widget),
            widget.attrs.get("class"),
            attrs.get("class"),
            "is-invalid" if self.errors else "",
        )
        return attrs

    @property
    def widget_kind(self) -> str:
        return widget_kind(self.field.widget)


class PortalFormRenderer(TemplatesSetting):
    """Forms, formsets and fields rendered from templates/forms/ (settings.TEMPLATES finds them);
    selects written in Python (`render_select`)."""

    form_template_name = "forms/portal_div.html"
    formset_template_name = "forms/portal_formset.html"
    field_template_name = "forms/portal_field.html"
    bound_field_class = PortalBoundField

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def render_select(widget: dict) -> str | None:
    """A select's markup, character for character what templates/django/forms/widgets/select.html
    writes (tests/portal/test_form_rendering.py compares them), without the template engine: the
    filter bars' selects of states, counties and years took about 3 ms of a list page through it.
    None when an option has a template of its own, which the template then renders."""
    groups = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if any(option["template_name"] != OPTION_TEMPLATE for option in group_choices):
            return None
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            ((o["value"], _attrs(o["attrs"]), localize(o["label"])) for o in group_choices),
        )
        if group_name:
            options = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', localize(group_name), options)
        groups.append((options,))
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        widget["name"],
        _attrs(widget["attrs"]),
        format_html_join("", "{}", groups),
    )


def refusal_to_form(form, exc) -> None:
    """Put a service's refusal (portal.exceptions.TransitionRefused, or bases' ApplicationInvalid
    with a message per field) on the form: each field's message at its field, one for a field the
    form does not have on top, and a refusal without field messages on top."""
    field_errors = getattr(exc, "field_errors", None) or {}
    for field, message in field_errors.items():
        form.add_error(field if field in form.fields else None, message)
    if not field_errors:
        form.add_error(None, exc.message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, the pattern Django 5.2 documents; cleans to a list of files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


# --- bounded input, for every form of the portal (installed by PortalConfig.ready) ----------------
# A date outside these years is a typing slip or a probe (9999-12-31 overflowed the working-day
# calendar into a 500): refused on every date field and date query parameter.
EARLIEST_DATE = date(1949, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# Amounts, areas and scores are written as plain decimals: "1e3" (scientific notation), "１２３"
# (full-width digits, which Python's Decimal accepts silently), "∞" and "NaN" are refused with a
# message that says how to write the number.
PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
FULL_WIDTH = re.compile(r"[０-９．－＋，]")


def validate_sane_date(value) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not (EARLIEST_DATE <= day <= LATEST_DATE):
        raise ValidationError(
            _("日期须在 %(first)s 至 %(last)s 之间。") % {"first": EARLIEST_DATE, "last": LATEST_DATE},
            code="date_out_of_range",
        )


def query_date(raw) -> date | None:
    """A date query parameter: the date, or None when it is missing, malformed or out of range."""
    try:
        day = parse_date(str(raw or "").strip())
    except ValueError:
        return None
    if day is None or not (EARLIEST_DATE <= day <= LATEST_DATE):
        return None
    return day


def _plain_decimal(raw):
    text = raw.strip()
    if not text or PLAIN_DECIMAL.fullmatch(text):
        return
    try:
        Decimal(text)
    except InvalidOperation:
        return  # not a number at all: the field's own message ("请输入一个数字") says so
    if FULL_WIDTH.search(text):
        raise ValidationError(
            _("请用半角数字填写（如 1234.50），不要使用全角数字或符号。"), code="full_width"
        )
    raise ValidationError(
        _("请填写普通的数字（如 1234.50），不要使用科学计数法、千位分隔符或其他符号。"), code="not_plain"
    )


# A sum of money as the funds services read it: a plain decimal, thousands grouped by commas or not.
PLAIN_AMOUNT = re.compile(r"([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?")


def validate_plain_amount(value) -> None:
    """For a text field holding a sum of money: plain and not negative ("1e3", "１０００" refused)."""
    text = str(value or "").strip()
    if not text or PLAIN_AMOUNT.fullmatch(text):
        return
    if PLAIN_DECIMAL.fullmatch(text):
        raise ValidationError(_("不能为负数。"), code="negative")
    _plain_decimal(text)


def install_input_bounds() -> None:
    """Every DateField and DateTimeField of every form (admin and filters included) refuses dates
    outside EARLIEST_DATE..LATEST_DATE; every DecimalField takes plain decimals only and, unless the
    field says `allow_negative` (net assets), no negative number."""
    for field_class in (forms.DateField, forms.DateTimeField):
        if validate_sane_date not in field_class.default_validators:
            field_class.default_validators = [*field_class.default_validators, validate_sane_date]
    if getattr(forms.DecimalField.to_python, "plain_only", False):
        return
    original = forms.DecimalField.to_python

    def to_python(self, value):
        if isinstance(value, str):
            _plain_decimal(value)
        number = original(self, value)
        if number is not None and number < 0 and not getattr(self, "allow_negative", False):
            raise ValidationError(_("不能为负数。"), code="negative")
        return number

    to_python.plain_only = True
    forms.DecimalField.to_python = to_python
