"""A record of every run of a daily job, for the operations view."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import moment_field, optional_moment_field


class JobRun(models.Model):
    class Trigger(models.TextChoices):
        BEAT = "beat", _("定时调度")
        COMMAND = "command", _("命令行")
        ADMIN = "admin", _("管理员手动")

    job = models.CharField(_("任务"), max_length=100)
    as_of = models.DateField(_("业务日期"))
    trigger = models.CharField(_("触发方式"), max_length=20, choices=Trigger.choices)
    dry_run = models.BooleanField(_("试运行"), default=False)
    started_at = moment_field(_("开始时间"))
    finished_at = optional_moment_field(_("结束时间"))
    actions = models.PositiveIntegerField(_("处理数"), default=0)
    summary = models.TextField(_("处理明细"), blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("定时任务运行记录")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["job", "as_of"])]

    def __str__(self):
        return f"{self.job} {self.as_of:%Y-%m-%d}"

    @property
    def ok(self) -> bool:
        return not self.error
