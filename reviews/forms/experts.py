"""Forms of the expert pool: the list's filter, an expert, a specialty.

Forms check types and shapes; the services check the rules (states, rights, what a conclusion
needs) and their errors are put back on the form, so a refused step loses nothing the user typed.
"""

from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation
from reviews.forms.fields import IdsField, required_text
from reviews.models import Expert, Specialty

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

    username = required_text(
        _("登录用户名"), 150, _("请填写登录用户名。"), help_text=_("专家登录平台使用，保存后不能修改。")
    )
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("可不填：不填时账号暂不能登录，由系统管理员另行设置密码。"),
    )
    full_name = required_text(_("姓名"), 50, _("请填写专家姓名。"))
    title = required_text(
        _("职称"), 50, _("请填写专家职称。"), help_text=_("如：教授、研究员、正高级工程师。")
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
    specialties = IdsField(
        label=_("专业领域"),
        queryset=Specialty.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个专业领域。")},
    )
    phone = required_text(_("手机号码"), 30, _("请填写手机号码。"))
    email = forms.EmailField(
        label=_("电子邮箱"),
        error_messages={"required": _("请填写电子邮箱。"), "invalid": _("电子邮箱格式不正确。")},
    )
    conflicts = IdsField(
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
