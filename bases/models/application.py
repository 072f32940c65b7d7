"""What the application contains besides the base's own fields (Art. 3, 7): co-builders, technical
backing institutions, the director's papers, the main equipment and the affirmation of each of the
eight basic conditions with its evidence."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from bases.models.base import PilotBase
from bases.policy import Condition
from portal.accounts.fields import USCCField
from portal.accounts.validators import validate_uscc
from portal.fields import unique_rule
from portal.models import ListItem


class CoBuilder(ListItem):
    """Art. 3: co-builders of a jointly built base and their roles."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="co_builders")
    name = models.CharField(_("共建单位名称"), max_length=200)
    uscc = USCCField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("承担任务与分工"), max_length=300)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta(ListItem.Meta):
        verbose_name = verbose_name_plural = _("共建单位")


class BackingKind(models.TextChoices):
    """Art. 7-2."""

    UNIVERSITY = "university", _("高等院校")
    RESEARCH_INSTITUTE = "research_institute", _("科研机构")
    KEY_LAB = "key_lab", _("重点实验室")
    INNOVATION_CENTER = "innovation_center", _("技术创新中心")
    NEW_RD_INSTITUTION = "new_rd_institution", _("新型研发机构")
    OTHER = "other", _("其他技术开发机构")


class TechnicalBacking(ListItem):
    """Art. 7-2: the technical backing institutions."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="technical_backings")
    name = models.CharField(_("技术依托单位"), max_length=200)
    kind = models.CharField(_("类型"), max_length=30, choices=BackingKind.choices)
    # Optional: a school or institute often has no code of its own; conflict avoidance (Art. 8-2) then
    # matches it by the organisation tree and by its name.
    uscc = USCCField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cooperation = models.TextField(_("合作内容与方式"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta(ListItem.Meta):
        verbose_name = verbose_name_plural = _("技术依托单位")


class RepresentativePaper(ListItem):
    """Art. 7-5: the director's representative papers."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("论文题目"), max_length=300)
    journal = models.CharField(_("发表期刊"), max_length=200)
    published_year = models.PositiveSmallIntegerField(_("发表年份"))
    author_rank = models.CharField(_("作者排序"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta(ListItem.Meta):
        verbose_name = verbose_name_plural = _("代表性论文")

    def __str__(self):
        return self.title


class EquipmentItem(ListItem):
    """Art. 7-1: the main instruments and equipment."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("设备名称"), max_length=200)
    model_spec = models.CharField(_("型号规格"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    value_wan = models.DecimalField(_("原值（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta(ListItem.Meta):
        verbose_name = verbose_name_plural = _("主要仪器设备")


class ConditionAffirmation(models.Model):
    """The host's affirmation of one Art. 7 condition, with its statement and evidence attachments."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="conditions")
    condition = models.PositiveSmallIntegerField(_("基本条件"), choices=Condition.choices)
    affirmed = models.BooleanField(_("承诺符合"), default=False)
    statement = models.TextField(_("情况说明"), blank=True)
    evidence = GenericRelation("documents.Attachment")

    class Meta:
        verbose_name = verbose_name_plural = _("基本条件承诺")
        ordering = ["condition"]
        constraints = [
            unique_rule(
                ["base", "condition"],
                "one_affirmation_per_condition",
                _("该基本条件已承诺过，请勿重复提交。"),
            )
        ]

    def __str__(self):
        return f"{self.base} {self.get_condition_display()}"
