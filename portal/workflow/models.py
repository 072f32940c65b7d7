"""What django-fsm-log's StateLog does not hold: who the actor was *as* (role, organisation at the
time), the reason code and the attachments of a step. One record per StateLog row; never edited."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from portal.accounts.models import Role
from portal.fields import moment_field
from portal.workflow.reasons import reason_text


class TransitionRecord(models.Model):
    state_log = models.OneToOneField(
        StateLog, verbose_name=_("状态流转日志"), on_delete=models.PROTECT, related_name="record"
    )
    actor_role = models.CharField(_("操作人角色"), max_length=20, choices=Role.choices, blank=True)
    actor_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("操作人单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # For steps no person took, e.g. "定时规则" (a scheduled rule: the daily revocation of Art. 8-4).
    actor_label = models.CharField(_("操作主体"), max_length=100, blank=True)
    reason_code = models.CharField(_("原因代码"), max_length=50, blank=True)
    created_at = moment_field(_("记录时间"))
    attachments = GenericRelation("documents.Attachment")

    class Meta:
        verbose_name = verbose_name_plural = _("流转记录")

    def __str__(self):
        return f"{self.state_log}"

    def reason_display(self) -> str:
        """The reason code in words, for the codes an app registered (revocation reasons)."""
        return reason_text(self.reason_code) or self.reason_code

    def actor_display(self) -> str:
        """Who took the step: the person, or the rule that ran it."""
        if self.state_log.by_id is not None:
            return str(self.state_log.by)
        return self.actor_label or str(_("系统"))
