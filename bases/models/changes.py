"""Changes of a base (Art. 6-3, 14): the change request (a filing) and the record of each applied
change with its former value."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bases.models.base import PilotBase
from bases.models.filings import Filing


class ChangeKind(models.TextChoices):
    RENAME = "rename", _("更名")
    DIRECTION = "direction", _("变更研究方向")
    RESTRUCTURE = "restructure", _("结构调整和重组")
    HOST = "host", _("变更依托单位")
    LEGAL_ENTITY = "legal_entity", _("依托单位法人主体或所有制结构变更（需重新认定）")


class ChangeRequest(Filing):
    """变更 (Art. 6-3, 14): a written report; approval applies the change and keeps the history."""

    kind = models.CharField(_("变更事项"), max_length=20, choices=ChangeKind.choices)
    report = models.TextField(_("变更情况报告"))
    new_name = models.CharField(_("新名称"), max_length=200, blank=True)
    new_rd_direction = models.CharField(_("新研究方向"), max_length=100, blank=True)
    new_host = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("新依托单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "host_unit"},
    )

    class Meta(Filing.Meta):
        verbose_name = verbose_name_plural = _("变更申请")

    def __str__(self):
        return _("%(base)s %(kind)s") % {"base": self.base, "kind": self.get_kind_display()}


class BaseChange(models.Model):
    """One applied change of a base's name, R&D direction or host unit, with the former value."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="history")
    field = models.CharField(_("变更项"), max_length=20)
    old_value = models.CharField(_("原值"), max_length=300)
    new_value = models.CharField(_("新值"), max_length=300)
    changed_on = models.DateField(_("变更日期"))
    request = models.ForeignKey(ChangeRequest, on_delete=models.PROTECT, related_name="applied", null=True)

    class Meta:
        verbose_name = verbose_name_plural = _("变更记录")
        ordering = ["-changed_on", "-pk"]

    def __str__(self):
        return f"{self.base} {self.field}: {self.old_value} → {self.new_value}"
