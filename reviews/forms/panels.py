"""Forms of expert panels: forming one, substitutes, scoring templates, the expert's answer, conflict
and score sheet (Art. 8-2).

Forms check types and shapes; the services check the rules (states, rights, what a conclusion
needs) and their errors are put back on the form, so a refused step loses nothing the user typed.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bases.models import PilotBase
from reviews.forms.fields import BaseChoiceField, IdsField
from reviews.models import PanelPurpose, Recommendation, ScoringTemplate, Specialty
from reviews.scoring import plain


class PanelForm(forms.Form):
    title = forms.CharField(label=_("评审名称"), max_length=200)
    purpose = forms.ChoiceField(
        label=_("评审类型"), choices=PanelPurpose.choices[:2], widget=forms.HiddenInput
    )
    template = forms.ModelChoiceField(label=_("评分模板"), queryset=ScoringTemplate.objects.none())
    bases = BaseChoiceField(
        label=_("评审对象"), queryset=PilotBase.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_on = forms.DateField(
        label=_("评分截止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    specialties = IdsField(
        label=_("抽取专家的专业领域"),
        queryset=Specialty.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    count = forms.IntegerField(
        label=_("抽取人数"),
        min_value=1,
        max_value=25,
        initial=5,
        help_text=_("建议 5 人以上，以便去掉最高分和最低分。"),
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, bases, purpose=PanelPurpose.ESTABLISHMENT, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bases"].queryset = bases
        self.fields["template"].queryset = ScoringTemplate.objects.filter(is_active=True, purpose=purpose)


class SubstituteForm(forms.Form):
    specialties = IdsField(
        label=_("替补专家的专业领域"),
        queryset=Specialty.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("模板名称"), max_length=100)
    purpose = forms.ChoiceField(label=_("评审类型"), choices=PanelPurpose.choices)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("评分项"), max_length=200)
    guidance = forms.CharField(label=_("评分要点"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.DecimalField(
        label=_("权重（%）"), min_value=Decimal("0.01"), max_value=100, decimal_places=2
    )
    max_score = forms.DecimalField(
        label=_("满分"), min_value=1, max_value=100, decimal_places=1, initial=Decimal("10")
    )


# At most 100 criteria: a post claiming 99,999 rows would otherwise build and render 2,000 forms.
CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=1, can_delete=True, min_num=1, validate_min=True, max_num=100, absolute_max=100
)


class AcceptForm(forms.Form):
    declared = forms.BooleanField(label=_("本人已阅读并签署以上无利益冲突声明"), required=True)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("谢绝理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如与评审对象存在利益关系，请如实说明。"),
    )


class ConflictForm(forms.Form):
    """Art. 8-2: a conflict the draw could not see, declared by the invited expert: units of the bases
    and/or another unit by name, and the circumstances. The service checks the rules."""

    units = forms.MultipleChoiceField(
        label=_("存在利益冲突的单位"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("含与其上级、下属单位（如所属高校、学院、集团、子公司）的关系。"),
    )
    other = forms.CharField(
        label=_("其他单位"),
        required=False,
        max_length=200,
        help_text=_("上列以外的关联单位（如申报单位的简称、曾用名或未列出的下属机构）。"),
    )
    reason = forms.CharField(
        label=_("利益冲突情形"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如任职、兼职、合作项目、亲属关系等。"),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [
            (unit.key, f"{unit.base_name} · {unit.role_label}：{unit.name}") for unit in units
        ]


class SheetForm(forms.Form):
    """One score per criterion (score_<id>), the opinion and the recommendation."""

    opinion = forms.CharField(label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    recommendation = forms.ChoiceField(
        label=_("评审建议"), choices=Recommendation.choices, required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.CharField(
                label=criterion.name,
                required=False,
                help_text=_("0 至 %(max)s 分，权重 %(weight)s%%")
                % {"max": plain(criterion.max_score), "weight": plain(criterion.weight)},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "portal-score"}),
            )

    @property
    def score_fields(self):
        return [(criterion, self[f"score_{criterion.pk}"]) for criterion in self.criteria]

    def scores(self) -> dict[int, str]:
        return {c.pk: (self.cleaned_data.get(f"score_{c.pk}") or "").strip() for c in self.criteria}
