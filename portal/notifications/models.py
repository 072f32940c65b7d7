"""The in-portal notification centre: one row per recipient per event, e-mailed once."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import check_rule, moment_field, optional_moment_field, unique_rule


class NotificationKind(models.TextChoices):
    """What a notification is about; e-mail can be switched off per kind, except deadline warnings."""

    WORKFLOW = "workflow", _("办理进展")
    REVIEW = "review", _("专家评审")
    NOTICE = "notice", _("公示与异议")
    REMINDER = "reminder", _("办理提醒")
    DEADLINE = "deadline", _("期限预警")


# Kinds whose e-mail nobody may switch off (deadline warnings always reach the inbox).
ALWAYS_EMAILED = frozenset({NotificationKind.DEADLINE})


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(
        _("类别"), max_length=20, choices=NotificationKind.choices, default=NotificationKind.WORKFLOW
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # A reminder's milestone (e.g. "deadline-90:base:12"): at most one per recipient, so a job
    # that runs twice sends nothing twice.
    dedup_key = models.CharField(_("去重键"), max_length=200, blank=True)
    created_at = moment_field(_("时间"))
    read_at = optional_moment_field(_("已读时间"))
    emailed_at = optional_moment_field(_("邮件发送时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The daily jobs ask "has anyone been told of this milestone?" by key alone
            # (portal.scheduling.reminders.announced), for thousands of keys at a time. Not partial:
            # PostgreSQL proves a partial index's condition for an IN list of at most 100 values.
            models.Index(fields=["dedup_key"], name="notification_dedup_key"),
        ]
        constraints = [
            unique_rule(
                ["recipient", "dedup_key"],
                "notification_once_per_milestone",
                _("该提醒已发送。"),
                condition=~models.Q(dedup_key=""),
            )
        ]

    def __str__(self):
        return self.title


class EmailPreference(models.Model):
    """A person's choice to receive (or not) the e-mail of one kind of notification; no row = yes.
    The in-portal notification is always kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=NotificationKind.choices)
    enabled = models.BooleanField(_("接收邮件"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("邮件偏好")
        constraints = [
            unique_rule(
                ["user", "kind"],
                "one_email_preference_per_kind",
                _("该类通知的邮件偏好已设置，请修改原设置。"),
            ),
            check_rule(
                ~models.Q(kind="deadline") | models.Q(enabled=True),
                "deadline_warnings_always_emailed",
                _("期限提醒必须发送邮件，不能关闭。"),
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.enabled}"
