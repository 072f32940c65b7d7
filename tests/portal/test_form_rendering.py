"""Forms render as accessible Bootstrap 5 markup through portal.forms.PortalFormRenderer."""

import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template

from portal.forms import PortalBoundField, PortalFormRenderer


class SampleForm(forms.Form):
    name = forms.CharField(label="基地名称", help_text="以“忻州市”开头，以“中试基地”结尾。")
    mode = forms.ChoiceField(label="建设方式", choices=[("single", "独立建设"), ("joint", "联合共建")])
    kind = forms.ChoiceField(
        label="申请类型", choices=[("new", "新建"), ("re", "重新认定")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="承诺所填内容真实")
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"})
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise ValidationError("申请书尚未填写完整。")


def _render(form):
    return str(form)


def test_the_settings_use_the_portal_renderer():
    form = SampleForm()
    assert isinstance(form.renderer, PortalFormRenderer)
    assert isinstance(form["name"], PortalBoundField)


def test_unbound_form_has_labels_classes_required_marker_and_help():
    html = _render(SampleForm())
    required_marker = '<span class="portal-required" aria-hidden="true">*</span>'
    assert f'<label class="form-label" for="id_name">基地名称{required_marker}' in html
    assert re.search(r'<input type="text" name="name"[^>]*class="form-control"', html)
    assert 'aria-describedby="id_name_helptext"' in html
    assert '<div class="form-text" id="id_name_helptext">' in html
    assert re.search(r'<select name="mode"[^>]*class="form-select"', html)
    assert re.search(r'<input type="checkbox" name="agree"[^>]*class="form-check-input"', html)
    assert '<label class="form-check-label" for="id_agree">承诺所填内容真实' in html
    # radio buttons: a fieldset with a legend, each option with its own label
    assert '<legend class="form-label fs-6">申请类型' in html
    assert re.search(r'<input type="radio" name="kind" value="new"[^>]*class="form-check-input"', html)
    assert '<label class="form-check-label" for="id_kind_0">新建</label>' in html
    # the widget's own class is kept; not required: no marker
    assert re.search(r'<textarea name="note"[^>]*class="form-control font-monospace"', html)
    assert 'for="id_note">备注</label>' in html
    assert '<input type="hidden" name="token" id="id_token">' in html
    assert "alert" not in html


def test_bound_form_with_errors_marks_fields_invalid_and_shows_non_field_errors():
    form = SampleForm(data={"name": "", "mode": "single", "kind": "", "agree": ""})
    assert not form.is_valid()
    html = _render(form)
    assert '<div class="alert alert-danger" role="alert">' in html
    assert "申请书尚未填写完整。" in html
    assert re.search(r'<input type="text" name="name"[^>]*aria-invalid="true"', html)
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert re.search(r'class="form-control is-invalid"[^>]*id="id_name"', html)
    assert (
        '<div class="invalid-feedback d-block" id="id_name_error"><div>这个字段是必填项。</div></div>' in html
    )
    # every id that aria-describedby names exists
    for ids in re.findall(r'aria-describedby="([^"]+)"', html):
        for element_id in ids.split():
            assert f'id="{element_id}"' in html, element_id
    assert re.search(r'<select name="mode"[^>]*class="form-select"', html)  # valid: not is-invalid
    assert re.search(r'<input type="checkbox" name="agree"[^>]*class="form-check-input is-invalid"', html)


def test_hand_placed_fields_get_bootstrap_classes_and_add_class():
    form = SampleForm(data={"name": "", "mode": "joint"})
    form.is_valid()
    html = Template(
        '{% load portal_tags %}{{ form.mode }}|{{ form.name|add_class:"form-control-lg" }}'
    ).render(Context({"form": form}))
    assert 'class="form-select"' in html
    assert 'class="form-control form-control-lg is-invalid"' in html


def test_field_group_renders_one_field_for_grid_layouts():
    html = SampleForm()["name"].as_field_group()
    assert html.startswith('<div class="mb-3">')
    assert 'for="id_name"' in html


@pytest.mark.django_db
def test_formset_renders_management_form_and_dynamic_rows():
    class Row(forms.Form):
        org = forms.CharField(label="共建单位")

    Formset = forms.formset_factory(Row, extra=1, can_delete=True, max_num=5)
    formset = Formset(prefix="cobuilders")
    html = Template(
        '{% include "forms/dynamic_formset.html" with formset=formset add_label="添加共建单位" %}'
    ).render(Context({"formset": formset}))
    assert 'data-formset="cobuilders"' in html
    assert 'id="id_cobuilders-TOTAL_FORMS"' in html
    assert html.count("data-formset-row>") == 2  # one row, one in the template
    assert "<template data-formset-empty>" in html
    assert 'name="cobuilders-__prefix__-org"' in html
    assert re.search(r'<button type="button" class="[^"]*" data-formset-add>添加共建单位</button>', html)
    assert html.count("data-formset-remove") == 2
    assert re.search(r'<div hidden><input type="checkbox" name="cobuilders-0-DELETE"', html)
    # the plain {{ formset }} uses the portal template too
    assert 'class="portal-formset-form"' in str(formset)


class SelectsForm(forms.Form):
    """Every kind of select the portal renders, with values that need escaping."""

    plain = forms.ChoiceField(choices=[("", "全部状态"), ("a<b", "甲 & 乙"), ("c", '"丙"')])
    grouped = forms.ChoiceField(
        choices=[("太原", [("1", "小店区"), ("2", "迎泽区")]), ("忻州", [("3", "忻府区")]), ("4", "其他")]
    )
    year = forms.TypedChoiceField(coerce=int, choices=[(2025, 2025), (2026, 2026)])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    maybe = forms.NullBooleanField()
    styled = forms.ChoiceField(
        choices=[("1", "一")],
        widget=forms.Select(attrs={"data-note": "<注>", "disabled": True, "hidden": False}),
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "a<b", "grouped": "3", "year": "2026", "many": ["x", "z"], "maybe": "true", "styled": "1"},
    ],
)
def test_selects_written_in_python_match_the_template_character_for_character(data):
    from django.template.loader import get_template

    from portal.forms import SELECT_TEMPLATE, render_select

    form = SelectsForm(data or None)
    template = get_template(SELECT_TEMPLATE)
    for bound in form:
        widget = bound.field.widget
        attrs = bound.build_widget_attrs({})
        attrs.setdefault("id", bound.auto_id)  # as BoundField.as_widget does
        context = widget.get_context(bound.html_name, bound.value(), attrs)
        expected = template.render(context).strip()
        assert render_select(context["widget"]) == expected, bound.name
        assert str(bound) == expected  # what a page gets, through the renderer
    if data:
        assert '<option value="a&lt;b" selected>甲 &amp; 乙</option>' in str(form["plain"])
        assert '<option value="c">&quot;丙&quot;</option>' in str(form["plain"])


def test_a_select_whose_options_have_their_own_template_goes_through_the_template():
    from portal.forms import render_select

    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("1", "一")])
    context = widget.get_context("pick", "1", {"id": "id_pick"})
    assert render_select(context["widget"]) is None
    assert 'name="pick"' in widget.render("pick", "1")


def test_a_services_refusal_goes_on_the_form_at_its_fields_or_on_top():
    from bases.exceptions import ApplicationInvalid, TransitionRefused
    from portal.forms import refusal_to_form

    form = SampleForm({"name": "x"})
    form.is_valid()
    form.errors.clear()
    refusal_to_form(
        form, ApplicationInvalid("不符合要求", field_errors={"name": "名称不符合格式", "other": "别处"})
    )
    assert form.errors["name"] == ["名称不符合格式"]
    assert form.non_field_errors() == ["别处"]

    form = SampleForm({"name": "x"})
    form.is_valid()
    form.errors.clear()
    refusal_to_form(form, ApplicationInvalid("申请书不完整"))  # no field named: the message on top
    refusal_to_form(form, TransitionRefused("该事项已被他人处理"))
    assert form.non_field_errors() == ["申请书不完整", "该事项已被他人处理"]
