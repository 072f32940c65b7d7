"""Forms of public notices and objections (Art. 8-3).

Forms check types and shapes; the services check the rules (states, rights, what a conclusion
needs) and their errors are put back on the form, so a refused step loses nothing the user typed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from bases.models import PilotBase
from portal.forms import MultipleFileField
from portal.text import visible_text
from reviews.forms.fields import BaseChoiceField, required_text


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=200)
    body = forms.CharField(label=_("公示内容"), widget=forms.Textarea(attrs={"rows": 6}))
    bases = BaseChoiceField(
        label=_("公示基地"), queryset=PilotBase.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(
        label=_("公示开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    working_days = forms.IntegerField(label=_("公示期（工作日）"), min_value=1, max_value=30)
    contact = forms.CharField(
        label=_("受理异议的联系方式"),
        max_length=200,
        required=False,
        help_text=_("公示中写明的受理异议的科室及其办公电话。"),
    )

    def __init__(self, *args, bases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bases"].queryset = bases


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("异议涉及的基地"), coerce=int)
    name = forms.CharField(label=_("姓名"), max_length=50, help_text=_("须为真实姓名，匿名异议不予受理。"))
    organisation = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    content = forms.CharField(label=_("异议内容及理由"), widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(
        label=_("证明材料"), required=False, help_text=_("可上传 PDF、图片或 Office 文档。")
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", "---------"), *((e.pk, e.base.name) for e in entries)]

    def clean_name(self):
        return visible_text(self.cleaned_data["name"])  # stored as it shows, without hidden characters


class ObjectionLookupForm(forms.Form):
    """进度查询: the receipt number and the query code of the receipt page, no account."""

    receipt_no = required_text(
        _("受理编号"), 40, _("请填写受理编号。"), help_text=_("异议受理回执上的编号，例如 YY-20261203-0001。")
    )
    code = required_text(_("查询码"), 20, _("请填写查询码。"), help_text=_("异议受理回执上的10位查询码。"))


class InvestigationForm(forms.Form):
    notes = forms.CharField(label=_("核查情况"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label=_("核查材料"), required=False)


class ResolutionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结论"),
        choices=[("no", _("异议不成立")), ("yes", _("异议成立"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label=_("处理意见及理由"), widget=forms.Textarea(attrs={"rows": 4}))
