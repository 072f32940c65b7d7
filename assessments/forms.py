"""The bureau's forms of the triennial evaluation (Art. 17). Forms check shapes; the services check the
rules and their refusals are put back on the form (portal.forms.refusal_to_form), so nothing typed is
lost."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import EvaluationMeeting


class EvaluationMeetingForm(forms.ModelForm):
    """Never saved itself: the view hands cleaned_data to
    assessments.services.triennial.evaluation_meeting_record."""

    minutes = forms.FileField(
        label=_("会议纪要"),
        required=False,
        help_text=_("经签字的会议纪要，PDF 格式。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = EvaluationMeeting
        fields = ["panel", "held_on", "opinion"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opinion": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"panel": _("本轮评估中评审过该基地、已形成结论的三年评估专家组。")}

    def __init__(self, *args, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels
        self.fields["panel"].required = False
        self.fields["held_on"].required = False
        self.fields["opinion"].required = False
