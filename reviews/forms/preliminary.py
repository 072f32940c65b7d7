"""Forms of the preliminary review (Art. 8-2) and of site visits (Art. 8-2, 17).

Forms check types and shapes; the services check the rules (states, rights, what a conclusion
needs) and their errors are put back on the form, so a refused step loses nothing the user typed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import MultipleFileField, MultipleFileInput
from reviews.models import PreliminaryCheck, PreliminaryCheckItem, SiteVisit

OK_CHOICES = [("yes", _("符合")), ("no", _("不符合"))]
_OK_VALUES = {"yes": True, "no": False}


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
    """Never saved itself: the view hands cleaned_data to reviews.services.site_visits.site_visit_record."""

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
