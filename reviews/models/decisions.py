"""Art. 8-3: the Party-group meeting and its decision on each cleared base."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bases.models.fields import base_field
from portal.documents.models import WithMinutes
from portal.fields import actor_field, moment_field

# The minutes of a Party-group meeting: the bureau's only. They record the deliberation on every base
# on the agenda, so a host unit reads its decision in the approval notice, not in the minutes.
DECISION_MINUTES_PURPOSE = "decision_minutes"


class PartyGroupMeeting(WithMinutes):
    """Art. 8-3: a meeting of the bureau's Party group (局党组会议) that decides on cleared bases; its signed
    minutes (会议纪要, PDF) are what the decision rests on."""

    MINUTES_PURPOSE = DECISION_MINUTES_PURPOSE

    held_on = models.DateField(_("会议日期"))
    minutes_no = models.CharField(_("会议纪要编号"), max_length=50, unique=True)
    note = models.TextField(_("备注"), blank=True)
    recorded_by = actor_field(_("记录人"))
    recorded_at = moment_field(_("记录时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("局党组会议")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.minutes_no}"


class MeetingOutcome(models.TextChoices):
    APPROVE = "approve", _("批准立项")
    REJECT = "reject", _("不予立项")


class MeetingDecision(models.Model):
    """One base decided at a meeting, with the reason when it is not approved."""

    meeting = models.ForeignKey(PartyGroupMeeting, on_delete=models.PROTECT, related_name="decisions")
    base = base_field("meeting_decision", one=True)
    outcome = models.CharField(_("决定"), max_length=10, choices=MeetingOutcome.choices)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("会议决定")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.meeting} {self.base} {self.get_outcome_display()}"
