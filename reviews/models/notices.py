"""Public notices and objections (Art. 8-3).

A notice lists bases whose expert review passed, starts on its publication date and runs for a
number of working days (portal/workdays.py); objections are accepted from the start date until
24:00 Asia/Shanghai of the end date, in writing under a real name. The bureau investigates each and
upholds or dismisses it with reasons. Closing the notice clears each base with no upheld objection
and rejects the others; a base with a pending objection waits until it is resolved. The objector's
identity is never shown on a public page.
"""

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import actor_field, check_rule, moment_field, optional_moment_field, unique_rule


class PublicNotice(models.Model):
    class State(models.TextChoices):
        PUBLISHED = "published", _("公示中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("公示标题"), max_length=200)
    body = models.TextField(_("公示内容"))
    starts_on = models.DateField(_("公示开始日期"))
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    ends_on = models.DateField(_("公示截止日期"))
    calendar_estimated = models.BooleanField(
        _("按未确认日历推算"),
        default=False,
        help_text=_("截止日期所在年份的节假日安排尚未录入，仅按周末推算。"),
    )
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PUBLISHED)
    bases = models.ManyToManyField(
        "bases.PilotBase", through="NoticeBase", verbose_name=_("公示基地"), related_name="notices"
    )
    published_by = actor_field(_("发布人"))
    published_at = moment_field(_("发布时间"))
    closed_at = optional_moment_field(_("结束时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["state", "ends_on"])]

    def __str__(self):
        return self.title


class NoticePeriodChange(models.Model):
    """Art. 8-3: a notice's end date recomputed after the calendar changed (a year's holidays entered,
    a day corrected): what it was, what it became, and why — the audit trail of a moved deadline."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="period_changes")
    old_ends_on = models.DateField(_("原截止日期"))
    new_ends_on = models.DateField(_("新截止日期"))
    was_estimated = models.BooleanField(_("原为推算日期"), default=False)
    is_estimated = models.BooleanField(_("仍为推算日期"), default=False)
    years = models.CharField(_("日历变更年度"), max_length=60)
    changed_at = moment_field(_("调整时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("公示截止日期调整")
        ordering = ["notice", "pk"]

    def __str__(self):
        return f"{self.notice}: {self.old_ends_on} → {self.new_ends_on}"


class NoticeBase(models.Model):
    class Outcome(models.TextChoices):
        CLEARED = "cleared", _("公示无异议")
        REJECTED = "rejected", _("异议成立")

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="entries")
    base = models.ForeignKey("bases.PilotBase", on_delete=models.PROTECT, related_name="notice_entries")
    outcome = models.CharField(_("公示结果"), max_length=10, choices=Outcome.choices, blank=True)
    settled_at = optional_moment_field(_("办结时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("公示基地")
        ordering = ["notice", "pk"]
        constraints = [
            unique_rule(
                ["notice", "base"], "one_entry_per_base_per_notice", _("该基地已在本公示中，请勿重复选择。")
            )
        ]

    def __str__(self):
        return f"{self.notice} · {self.base}"


class Objection(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("待核查")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    entry = models.ForeignKey(
        NoticeBase, verbose_name=_("异议对象"), on_delete=models.PROTECT, related_name="objections"
    )
    receipt_no = models.CharField(_("受理编号"), max_length=30, unique=True)
    # The objector's query code (查询码) for the public progress lookup: shown once on the receipt,
    # stored only as a password hash, so neither the database nor its backups reveal it.
    code_hash = models.CharField(_("查询码（散列）"), max_length=128, blank=True, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.CharField(_("工作单位"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    content = models.TextField(_("异议内容及理由"))
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    submitted_at = moment_field(_("提交时间"))
    state = models.CharField(_("处理状态"), max_length=20, choices=State.choices, default=State.PENDING)
    investigation = models.TextField(_("核查情况"), blank=True)
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = actor_field(_("处理人"), optional=True)
    resolved_at = optional_moment_field(_("处理时间"))
    attachments = GenericRelation("documents.Attachment")

    class Meta:
        verbose_name = verbose_name_plural = _("公示异议")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["ip_address", "submitted_at"])]
        constraints = [
            check_rule(
                models.Q(state="pending") | ~models.Q(resolution=""),
                "resolved_objection_has_reason",
                _("处理异议须写明理由。"),
            )
        ]

    def __str__(self):
        return self.receipt_no

    def set_code(self, code: str) -> None:
        self.code_hash = make_password(code)

    def code_matches(self, code: str) -> bool:
        return bool(self.code_hash) and check_password(code, self.code_hash)
