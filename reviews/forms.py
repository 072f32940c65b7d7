"""Forms of the preliminary review and of site visits.

Forms check types and shapes; the services check the rules (states, rights, what a conclusion
needs) and their errors are put back on the form, so a refused step loses nothing the user typed.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bases.models import PilotBase
from portal.accounts.models import Organisation
from portal.forms import MultipleFileField, MultipleFileInput
from portal.text import visible_text
from reviews.models import (
    Expert,
    MeetingOutcome,
    PanelPurpose,
    PreliminaryCheck,
    PreliminaryCheckItem,
    Recommendation,
    ScoringTemplate,
    SiteVisit,
    Specialty,
)
from reviews.scoring import plain

OK_CHOICES = [("yes", _("符合")), ("no", _("不符合"))]
_OK_VALUES = {"yes": True, "no": False}


class _IdsField(forms.ModelMultipleChoiceField):
    """Rows chosen by id; an id beyond the 64-bit range is refused as an invalid choice instead of
    being queried (Django queries `pk__in` with it and SQLite cannot bind it: a 500, found by
    tests/resilience/test_fuzz_forms.py)."""

    def _check_values(self, value):
        for pk in value:
            try:
                beyond = not -(2**63) <= int(str(pk)) < 2**63
            except ValueError:
                continue  # not a number at all: Django refuses it itself
            if beyond:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


def _coerce_ok(value: str) -> bool | None:
    return _OK_VALUES.get(value)


class PreliminaryCheckForm(forms.Form):
    """The checklist of one round: per item 符合/不符合 and a note; the bureau's overall opinion.

    Fields are named ok_<key> and note_<key>; `rows` pairs them with their item for the template."""

    check = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("初审意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("退回修改时随各项说明一并发给依托单位；初审不通过时必须填写理由。"),
    )

    def __init__(self, *args, check: PreliminaryCheck, **kwargs):
        self.preliminary_check = check
        self.items: list[PreliminaryCheckItem] = list(check.items.all())
        initial = {"check": check.pk, "status": check.base.status, "comment": check.comment}
        for item in self.items:
            initial[f"ok_{item.key}"] = {True: "yes", False: "no"}.get(item.ok, "")
            initial[f"note_{item.key}"] = item.note
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for item in self.items:
            label = item.get_key_display()
            self.fields[f"ok_{item.key}"] = forms.TypedChoiceField(
                label=label,
                choices=OK_CHOICES,
                coerce=_coerce_ok,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"note_{item.key}"] = forms.CharField(
                label=_("说明"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    @property
    def rows(self):
        """(item, its 符合/不符合 field, its note field), in checklist order."""
        return [(item, self[f"ok_{item.key}"], self[f"note_{item.key}"]) for item in self.items]

    def clean(self):
        cleaned = super().clean()
        if "check" in cleaned and cleaned["check"] != self.preliminary_check.pk:
            raise forms.ValidationError(_("本页面对应的初审轮次已变化，请刷新页面后再操作。"))
        return cleaned

    def item_values(self) -> dict[str, tuple[bool | None, str]]:
        """The checklist as the services take it: key -> (ok, note)."""
        return {
            item.key: (self.cleaned_data.get(f"ok_{item.key}"), self.cleaned_data.get(f"note_{item.key}", ""))
            for item in self.items
        }


class SiteVisitForm(forms.ModelForm):
    """Never saved itself: the view hands cleaned_data to reviews.services.site_visit_record."""

    photos = MultipleFileField(
        label=_("现场照片"),
        required=False,
        help_text=_("可一次选择多张，JPG 或 PNG 格式。"),
        widget=MultipleFileInput(attrs={"multiple": True, "accept": "image/jpeg,image/png"}),
    )

    class Meta:
        model = SiteVisit
        fields = ["purpose", "visited_on", "participants", "findings"]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participants": forms.Textarea(attrs={"rows": 3}),
            "findings": forms.Textarea(attrs={"rows": 6}),
        }


# --- the expert pool ---------------------------------------------------------------------------------
ACTIVE_CHOICES = [("", _("全部")), ("yes", _("在库")), ("no", _("已停用"))]
_ACTIVE_VALUES = {"yes": True, "no": False}


class ExpertFilterForm(forms.Form):
    """The pool list's filters; cleaned_data is what reviews.selectors.expert_list takes."""

    q = forms.CharField(label=_("关键词"), required=False)
    specialty = forms.ModelChoiceField(
        label=_("专业领域"), queryset=Specialty.objects.all(), required=False, empty_label=_("全部专业领域")
    )
    active = forms.TypedChoiceField(
        label=_("状态"),
        choices=ACTIVE_CHOICES,
        coerce=lambda value: _ACTIVE_VALUES.get(value),
        empty_value=None,
        required=False,
    )


class ExpertForm(forms.Form):
    """An expert's details. Never saved itself: the view hands cleaned_data to reviews.services, whose
    refusals come back on these fields; what is missing or malformed is told here already, with the
    service's own messages, so that one submission lists every problem. Username and initial password
    only when adding an expert."""

    username = forms.CharField(
        label=_("登录用户名"),
        max_length=150,
        help_text=_("专家登录平台使用，保存后不能修改。"),
        error_messages={"required": _("请填写登录用户名。")},
    )
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("可不填：不填时账号暂不能登录，由系统管理员另行设置密码。"),
    )
    full_name = forms.CharField(
        label=_("姓名"), max_length=50, error_messages={"required": _("请填写专家姓名。")}
    )
    title = forms.CharField(
        label=_("职称"),
        max_length=50,
        help_text=_("如：教授、研究员、正高级工程师。"),
        error_messages={"required": _("请填写专家职称。")},
    )
    affiliation = forms.ModelChoiceField(
        label=_("工作单位"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("（不在列表中）"),
    )
    affiliation_text = forms.CharField(
        label=_("其他工作单位"),
        max_length=200,
        required=False,
        help_text=_("工作单位不在列表中时填写单位全称。"),
    )
    specialties = _IdsField(
        label=_("专业领域"),
        queryset=Specialty.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个专业领域。")},
    )
    phone = forms.CharField(
        label=_("手机号码"), max_length=30, error_messages={"required": _("请填写手机号码。")}
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        error_messages={"required": _("请填写电子邮箱。"), "invalid": _("电子邮箱格式不正确。")},
    )
    conflicts = _IdsField(
        label=_("申报回避单位"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("专家申报需长期回避的单位（本人工作单位自动回避）；可按住 Ctrl 多选。"),
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, expert: Expert | None = None, **kwargs):
        self.expert = expert
        if expert is not None:
            kwargs.setdefault(
                "initial",
                {
                    "full_name": expert.user.full_name,
                    "title": expert.title,
                    "affiliation": expert.affiliation_id,
                    "affiliation_text": expert.affiliation_text,
                    "specialties": [s.pk for s in expert.specialties.all()],
                    "phone": expert.phone,
                    "email": expert.email,
                    "conflicts": [o.pk for o in expert.conflicts.all()],
                    "note": expert.note,
                },
            )
        super().__init__(*args, **kwargs)
        if expert is not None:
            del self.fields["username"], self.fields["password"]
        # Switched-off specialties and units stay selectable for an expert who already has them.
        specialties = Q(is_active=True)
        organisations = Q(is_active=True)
        if expert is not None:
            specialties |= Q(pk__in=[s.pk for s in expert.specialties.all()])
            organisations |= Q(pk__in=[o.pk for o in expert.conflicts.all()])
            if expert.affiliation_id:
                organisations |= Q(pk=expert.affiliation_id)
        self.fields["specialties"].queryset = Specialty.objects.filter(specialties).order_by("name")
        units = Organisation.objects.filter(organisations).order_by("kind", "name")
        self.fields["affiliation"].queryset = units
        self.fields["conflicts"].queryset = units

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("affiliation") and not (cleaned.get("affiliation_text") or "").strip():
            self.add_error("affiliation", _("请选择工作单位，或在“其他工作单位”中填写单位全称。"))
        return cleaned

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password)
        return password or None


class SpecialtyForm(forms.Form):
    """A specialty of the vocabulary; the service checks the name is unique."""

    name = forms.CharField(label=_("名称"), max_length=50)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(
        label=_("启用"), required=False, initial=True, help_text=_("停用后不能再为专家选择该领域。")
    )


DEFER = ""  # 暂不决定: the base waits for a later meeting


class MeetingForm(forms.Form):
    """A Party-group meeting (Art. 8-3) and its decision on each base awaiting one.

    Per base: outcome_<id> (批准立项 / 不予立项 / 暂不决定) and reason_<id>; `rows` pairs them."""

    held_on = forms.DateField(
        label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    minutes_no = forms.CharField(label=_("会议纪要编号"), max_length=50)
    minutes = forms.FileField(
        label=_("会议纪要"),
        help_text=_("经签字的局党组会议纪要，PDF 格式。"),
        error_messages={"required": _("请上传会议纪要（PDF）：决定以会议纪要为依据（第八条第（三）项）。")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, bases, **kwargs):
        super().__init__(*args, **kwargs)
        self.bases = list(bases)
        choices = [(DEFER, _("暂不决定")), *MeetingOutcome.choices]
        for base in self.bases:
            self.fields[f"outcome_{base.pk}"] = forms.ChoiceField(
                label=base.name, choices=choices, required=False, widget=forms.RadioSelect, initial=DEFER
            )
            self.fields[f"reason_{base.pk}"] = forms.CharField(
                label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self):
        """Every refusal the service would give, at once with the form's own (a missing minutes file
        and a rejection without reasons are told together, not one after the other)."""
        cleaned = super().clean()
        for base in self.bases:
            outcome = cleaned.get(f"outcome_{base.pk}")
            if outcome == MeetingOutcome.REJECT and not (cleaned.get(f"reason_{base.pk}") or "").strip():
                self.add_error(f"reason_{base.pk}", _("不予立项的，请填写理由。"))
        return cleaned

    @property
    def rows(self):
        return [(base, self[f"outcome_{base.pk}"], self[f"reason_{base.pk}"]) for base in self.bases]

    def decisions(self) -> dict[int, tuple[str, str]]:
        chosen = {}
        for base in self.bases:
            outcome = self.cleaned_data.get(f"outcome_{base.pk}") or DEFER
            if outcome != DEFER:
                chosen[base.pk] = (outcome, self.cleaned_data.get(f"reason_{base.pk}", ""))
        return chosen


# --- panels --------------------------------------------------------------
class _BaseChoiceField(_IdsField):
    def label_from_instance(self, obj):
        return _("%(name)s（%(host)s）") % {"name": obj.name, "host": obj.host.name}


class PanelForm(forms.Form):
    title = forms.CharField(label=_("评审名称"), max_length=200)
    purpose = forms.ChoiceField(
        label=_("评审类型"), choices=PanelPurpose.choices[:2], widget=forms.HiddenInput
    )
    template = forms.ModelChoiceField(label=_("评分模板"), queryset=ScoringTemplate.objects.none())
    bases = _BaseChoiceField(
        label=_("评审对象"), queryset=PilotBase.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_on = forms.DateField(
        label=_("评分截止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    specialties = _IdsField(
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
    specialties = _IdsField(
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


# --- public notices and objections (Art. 8-3) ------------------------------------------------------
class NoticeForm(forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=200)
    body = forms.CharField(label=_("公示内容"), widget=forms.Textarea(attrs={"rows": 6}))
    bases = _BaseChoiceField(
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

    receipt_no = forms.CharField(
        label=_("受理编号"),
        max_length=40,
        help_text=_("异议受理回执上的编号，例如 YY-20261203-0001。"),
        error_messages={"required": _("请填写受理编号。")},
    )
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        help_text=_("异议受理回执上的10位查询码。"),
        error_messages={"required": _("请填写查询码。")},
    )


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
