"""Forms of the application, one per section, and of the steps.

Forms check types and shapes; the services check the rules (name rule, states, rights) and their
errors are put back on the form, so a refused save loses nothing the user typed.
"""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from bases.completeness import SECTION_FIELDS
from bases.models import (
    AcceptanceApplication,
    ChangeRequest,
    CoBuilder,
    Condition,
    EquipmentItem,
    ExtensionRequest,
    FundCategory,
    PilotBase,
    RepresentativePaper,
    TaskBook,
    TechnicalBacking,
)
from bases.policy import RevocationReason
from portal.accounts.models import Organisation
from portal.forms import MultipleFileField, validate_plain_amount

# The repeated rows each section carries: section -> (relation on PilotBase, row model, fields).
SECTION_ROWS: dict[str, tuple[str, type, tuple[str, ...]]] = {
    "mode": ("co_builders", CoBuilder, ("name", "uscc", "role")),
    "backing": ("technical_backings", TechnicalBacking, ("name", "kind", "uscc", "cooperation")),
    "director": ("papers", RepresentativePaper, ("title", "journal", "published_year", "author_rank")),
    "equipment": ("equipment", EquipmentItem, ("name", "model_spec", "quantity", "value_wan")),
}

TEXTAREA = {"rows": 4}


class SectionForm(forms.ModelForm):
    """A section of the application; every field optional except the name and direction, so a
    draft can be saved at any point (completeness is checked when it is submitted)."""

    class Meta:
        model = PilotBase
        fields = ()

    def __init__(self, *args, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        for name, field in self.fields.items():
            field.required = name in ("name", "rd_direction")
            field.allow_negative = name == "net_assets_wan"  # net assets may be negative
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(TEXTAREA)
        if "name" in self.fields:
            attach_name_check(self.fields["name"])


def attach_name_check(field) -> None:
    """Check the Art. 18 name rule as the user types (htmx), next to the field."""
    field.widget.attrs.update(
        {
            "hx-post": reverse_lazy("bases:name_check"),
            "hx-trigger": "input changed delay:400ms, blur",
            "hx-target": "#name-check",
            "hx-include": "[name='rd_direction']",
            "aria-describedby": "name-check",
            "autocomplete": "off",
        }
    )


def section_form_class(section: str) -> type[SectionForm]:
    return forms.modelform_factory(PilotBase, form=SectionForm, fields=SECTION_FIELDS[section])


def row_formset_class(section: str):
    _relation, model, fields = SECTION_ROWS[section]
    widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("cooperation", "role")}
    # At most 200 rows: a post claiming 99,999 (TOTAL_FORMS) would otherwise build and render 2,000
    # forms (seconds of CPU, megabytes of page) — tests/resilience/test_fuzz_forms.py.
    return forms.modelformset_factory(
        model, fields=fields, extra=0, can_delete=True, widgets=widgets, max_num=200, absolute_max=200
    )


class CreateForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        attach_name_check(self.fields["name"])

    class Meta:
        model = PilotBase
        fields = ("rd_direction", "name")
        help_texts = {
            "rd_direction": _("例如：新材料、高端装备、农产品精深加工"),
            "name": _("统一命名为“忻州市+研发方向+中试基地”（第十八条），如“忻州市新材料中试基地”。"),
        }


class ConditionForm(forms.Form):
    """One Art. 7 condition: affirmation, statement and new evidence files."""

    affirmed = forms.BooleanField(label=_("本单位承诺符合该项条件"), required=False)
    statement = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(
        label=_("上传证明材料"),
        required=False,
        help_text=_("可多选；支持 pdf、doc、docx、xls、xlsx、jpg、png，单个文件不超过上限。"),
    )

    def __init__(self, *args, condition: Condition, **kwargs):
        super().__init__(*args, **kwargs)
        self.condition = condition


def condition_forms(data=None, files=None, initial_by_condition=None) -> list[ConditionForm]:
    initial_by_condition = initial_by_condition or {}
    return [
        ConditionForm(
            data,
            files,
            prefix=f"c{condition.value}",
            condition=condition,
            initial=initial_by_condition.get(condition.value, {}),
        )
        for condition in Condition
    ]


# --- steps -------------------------------------------------------------------------------------------
class StepForm(forms.Form):
    """A transition's form: the page's state (to detect a stale page) and a comment."""

    expected_status = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonStepForm(StepForm):
    comment = forms.CharField(
        label=_("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写理由。")},
    )


class RecommendForm(StepForm):
    letter = forms.FileField(
        label=_("正式推荐文件（推荐函）"),
        help_text=_("加盖公章的推荐函扫描件，pdf、doc、docx、jpg 或 png。"),
        error_messages={"required": _("请上传正式推荐文件（推荐函）。")},
    )


class RevokeForm(StepForm):
    reason_code = forms.ChoiceField(label=_("撤销原因"), choices=[("", "—"), *RevocationReason.choices])
    # An irreversible step on a person's decision records why, in words (Art. 16, 17): the scheduled
    # rules revoke with their own label, a person types the facts.
    comment = forms.CharField(
        label=_("撤销说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明撤销的事实和依据，将记入办理记录并通知依托单位。"),
        error_messages={"required": _("请填写撤销说明：写明撤销的事实和依据。")},
    )


# --- filings after approval (Art. 8-4, 14) and the special funds (Art. 9–10) -----------------------
# The task book's plan as the host writes it (Art. 8-4), and as the issued task book prints it.
TASK_BOOK_PLAN = (
    "goals",
    "construction_content",
    "staffing",
    "equipment_plan",
    "expected_outputs",
    "other_funding",
)


class TaskBookForm(forms.ModelForm):
    class Meta:
        model = TaskBook
        fields = list(TASK_BOOK_PLAN)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class MilestoneForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100)
    content = forms.CharField(label=_("年度建设任务"), widget=forms.Textarea(attrs={"rows": 2}))
    self_raised_wan = forms.DecimalField(
        label=_("自筹资金（万元）"), min_value=0, max_digits=10, decimal_places=2, required=False
    )


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=0, can_delete=True, min_num=1, validate_min=True, max_num=50, absolute_max=50
)


class ExtensionForm(forms.ModelForm):
    class Meta:
        model = ExtensionRequest
        fields = ["reasons", "months_requested"]
        widgets = {"reasons": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"months_requested": _("最多12个月（第八条第（四）项），每个基地只能延期一次。")}


class AcceptanceForm(forms.ModelForm):
    class Meta:
        model = AcceptanceApplication
        fields = ["summary", "outputs", "fund_usage"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class ChangeForm(forms.ModelForm):
    class Meta:
        model = ChangeRequest
        fields = ["kind", "report", "new_name", "new_rd_direction", "new_host"]
        widgets = {"report": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "new_name": _("更名或变更研究方向时填写，须符合“忻州市+研发方向+中试基地”（第十八条）。"),
            "new_host": _("变更依托单位时选择。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_host"].queryset = Organisation.objects.filter(kind="host_unit").order_by("name")


class FilingStepForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    months_granted = forms.IntegerField(
        label=_("批准延期月数"), required=False, min_value=1, max_value=12, help_text=_("可少于申请的月数。")
    )


class DisbursementForm(forms.Form):
    disbursed_on = forms.DateField(
        label=_("拨付日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    voucher_no = forms.CharField(label=_("拨付凭证号"), max_length=60)
    amount = forms.CharField(label=_("拨付金额（元）"), max_length=20, validators=[validate_plain_amount])


class LedgerEntryForm(forms.Form):
    entry_on = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    category = forms.ChoiceField(label=_("支出类别"), choices=[], required=False)
    amount = forms.CharField(label=_("金额（元）"), max_length=20, validators=[validate_plain_amount])
    payee = forms.CharField(label=_("收付款单位"), max_length=200)
    note = forms.CharField(label=_("摘要"), max_length=300, required=False)
    vouchers = MultipleFileField(label=_("凭证"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Art. 10: the categories the bureau offers now (FundCategory), read per form.
        self.fields["category"].choices = [
            ("", "---------"),
            *((c.code, c.label) for c in FundCategory.objects.filter(active=True)),
        ]
