"""The form of a Party-group meeting and its decisions (Art. 8-3).

Forms check types and shapes; the services check the rules (states, rights, what a conclusion
needs) and their errors are put back on the form, so a refused step loses nothing the user typed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.models import MeetingOutcome

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
