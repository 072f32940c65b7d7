"""The bureau's preliminary (formal) review of an application and site visits (Art. 8-2, 17).

A preliminary check is one review round of one base: a fixed checklist of formal requirements, each
marked 符合/不符合 with a note and tied to the application section it concerns, then a conclusion
(pass, return for revision, reject) run through bases.services. A base returned and resubmitted gets
a new round. Site visits are recorded for the preliminary review (optional, Art. 8-2) and for the
triennial evaluation (mandatory, Art. 17).
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from bases.completeness import SECTIONS
from bases.models.fields import base_field
from portal.fields import actor_field, check_rule, moment_field, optional_moment_field, unique_rule


class ChecklistItem(models.TextChoices):
    """The formal requirements the bureau checks at preliminary review (Art. 7, 8-1, 18)."""

    COMPLETE = "complete", _("申请书各部分填写完整")
    NAME_RULE = "name_rule", _("基地名称符合“忻州市+研发方向+中试基地”（第十八条）")
    RECOMMENDATION = "recommendation", _("归口管理单位正式推荐文件（第八条第（一）项）")
    MODE = "mode", _("建设模式及共建单位分工明确（第三条）")
    BACKING = "backing", _("技术依托单位合作材料齐全（第七条第（二）项）")
    DIRECTOR = "director", _("负责人及代表性论文材料（第七条第（五）项）")
    EQUIPMENT = "equipment", _("仪器设备与场地证明（第七条第（一）项）")
    TECHNOLOGY = "technology", _("核心技术说明（第七条第（三）项）")
    FINANCES = "finances", _("财务报表/审计报告（第七条第（四）项）")
    MANAGEMENT = "management", _("管理制度与人员情况（第七条第（六）项）")
    ENVIRONMENT = "environment", _("环保合规证明（第七条第（七）项）")
    SAFETY = "safety", _("近三年无严重质量安全问题承诺（第七条第（八）项）")


# The application section (bases.completeness.SECTIONS) each item refers to, so that the host sees
# the bureau's note at that section. The order of this table is the order of the checklist.
CHECKLIST_SECTIONS: dict[str, str] = {
    ChecklistItem.COMPLETE: "basic",
    ChecklistItem.NAME_RULE: "basic",
    ChecklistItem.RECOMMENDATION: "basic",
    ChecklistItem.MODE: "mode",
    ChecklistItem.BACKING: "backing",
    ChecklistItem.DIRECTOR: "director",
    ChecklistItem.EQUIPMENT: "equipment",
    ChecklistItem.TECHNOLOGY: "technology",
    ChecklistItem.FINANCES: "finances",
    ChecklistItem.MANAGEMENT: "management",
    ChecklistItem.ENVIRONMENT: "conditions",
    ChecklistItem.SAFETY: "conditions",
}
SECTION_CHOICES = [(section.key, section.title) for section in SECTIONS]


class Decision(models.TextChoices):
    PASS = "pass", _("初审通过")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("初审不通过")


class PreliminaryCheck(models.Model):
    """One round of the bureau's preliminary review of one base (Art. 8-2)."""

    base = base_field("preliminary_checks")
    round = models.PositiveSmallIntegerField(_("轮次"))
    reviewer = actor_field(_("初审人"))
    started_at = moment_field(_("开始时间"))
    concluded_at = optional_moment_field(_("完成时间"))
    decision = models.CharField(_("初审结论"), max_length=10, choices=Decision.choices, blank=True)
    comment = models.TextField(_("初审意见"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("初审")
        ordering = ["-started_at", "-pk"]
        constraints = [
            unique_rule(["base", "round"], "one_preliminary_check_per_round", _("该基地本轮已有初审记录。")),
            unique_rule(
                ["base"],
                "one_open_preliminary_check_per_base",
                _("该基地已有进行中的初审。"),
                condition=models.Q(concluded_at__isnull=True),
            ),
            check_rule(
                (models.Q(concluded_at__isnull=True) & models.Q(decision=""))
                | (models.Q(concluded_at__isnull=False) & ~models.Q(decision="")),
                "preliminary_check_decided_when_concluded",
                _("初审结论与完成时间须同时填写。"),
            ),
        ]

    def __str__(self):
        return _("%(base)s 第%(round)d轮初审") % {"base": self.base, "round": self.round}

    @property
    def is_open(self) -> bool:
        return self.concluded_at is None


class PreliminaryCheckItem(models.Model):
    """One requirement of a round's checklist: ok = 符合 / 不符合 / None (not yet checked)."""

    # Not named "check": that would hide Model.check(), which runs Django's system checks.
    preliminary_check = models.ForeignKey(
        PreliminaryCheck, verbose_name=_("初审"), on_delete=models.CASCADE, related_name="items"
    )
    key = models.CharField(_("检查项"), max_length=30, choices=ChecklistItem.choices)
    section = models.CharField(_("对应申请书部分"), max_length=20, choices=SECTION_CHOICES)
    ok = models.BooleanField(_("是否符合"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("初审检查项")
        ordering = ["position", "pk"]
        constraints = [
            unique_rule(
                ["preliminary_check", "key"],
                "one_item_per_key_per_check",
                _("该初审事项已记录，请勿重复填写。"),
            )
        ]

    def __str__(self):
        return self.get_key_display()


class VisitPurpose(models.TextChoices):
    PRELIMINARY = "preliminary", _("初审实地考察")  # optional, Art. 8-2
    EVALUATION = "evaluation", _("评估现场考察")  # mandatory in the triennial evaluation, Art. 17


class SiteVisit(models.Model):
    """A visit of the bureau to a base: date, participants, findings and photos (purpose site_photo)."""

    base = base_field("site_visits")
    purpose = models.CharField(_("考察类型"), max_length=20, choices=VisitPurpose.choices)
    visited_on = models.DateField(_("考察日期"))
    participants = models.TextField(_("考察人员"), help_text=_("参加考察的人员及其单位、职务。"))
    findings = models.TextField(_("考察情况"), help_text=_("现场核实的情况、发现的问题和考察意见。"))
    created_by = actor_field(_("记录人"))
    created_at = moment_field(_("记录时间"))
    photos = GenericRelation("documents.Attachment")

    class Meta:
        verbose_name = verbose_name_plural = _("实地考察")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["base", "purpose"])]

    def __str__(self):
        return f"{self.base} {self.get_purpose_display()} {self.visited_on:%Y-%m-%d}"
