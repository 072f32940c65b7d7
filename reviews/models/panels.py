"""Expert panels (Art. 8-2, 8-4, 17).

A panel reviews one or more bases for one purpose (establishment review, acceptance, triennial
evaluation) against a scoring template's criteria, copied onto the panel when it is formed so that a
later edit of the template never changes a panel's sheets. Its experts come from recorded random
draws: each draw keeps its seed, the eligible pool and the excluded experts with their reasons, so
anyone can re-run it and get the same experts. A member must accept and sign the no-conflict
declaration before any material is visible; a member who declines is replaced by a substitute draw.
Each member fills one score sheet per base: a score per criterion, an opinion and a recommendation;
a submitted sheet is locked.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.documents.models import WithMinutes
from portal.fields import (
    actor_field,
    check_rule,
    moment_field,
    optional_moment_field,
    unique_rule,
    updated_field,
)
from portal.models import ListItem


class PanelPurpose(models.TextChoices):
    ESTABLISHMENT = "establishment", _("建设评审")  # Art. 8-2
    ACCEPTANCE = "acceptance", _("验收评审")  # Art. 8-4
    EVALUATION = "evaluation", _("三年评估")  # Art. 17
    ANNUAL = "annual", _("年度考核")  # Art. 16: the bureau's score sheet for annual grading


class ScoringTemplate(models.Model):
    """The bureau's scoring template for a purpose: weighted criteria (weights add up to 100)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    purpose = models.CharField(_("评审类型"), max_length=20, choices=PanelPurpose.choices)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = updated_field(_("更新时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("评分模板")
        ordering = ["purpose", "name"]

    def __str__(self):
        return self.name


class CriterionFields(ListItem):
    name = models.CharField(_("评分项"), max_length=200)
    guidance = models.TextField(_("评分要点"), blank=True)
    weight = models.DecimalField(
        _("权重（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    max_score = models.DecimalField(
        _("满分"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
        help_text=_("专家在 0 至满分之间打分，按权重折算为百分制。"),
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta(ListItem.Meta):
        abstract = True


class TemplateCriterion(CriterionFields):
    template = models.ForeignKey(ScoringTemplate, on_delete=models.CASCADE, related_name="criteria")

    class Meta(CriterionFields.Meta):
        verbose_name = verbose_name_plural = _("评分项")


# The minutes of an expert panel's meeting (评审/验收会议纪要): the bureau's only, like the score
# sheets they summarise; the host reads the conclusion itself on its base's page.
PANEL_MINUTES_PURPOSE = "panel_minutes"


class Panel(WithMinutes):
    """One expert panel: purpose, bases, criteria, due date, members, and the signed minutes of its
    meeting (PDF) its conclusion rests on."""

    MINUTES_PURPOSE = PANEL_MINUTES_PURPOSE

    class State(models.TextChoices):
        SCORING = "scoring", _("评审中")
        CONCLUDED = "concluded", _("已完成")

    title = models.CharField(_("评审名称"), max_length=200)
    purpose = models.CharField(_("评审类型"), max_length=20, choices=PanelPurpose.choices)
    template_name = models.CharField(_("评分模板"), max_length=100)
    due_on = models.DateField(_("评分截止日期"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.SCORING)
    bases = models.ManyToManyField(
        "bases.PilotBase", through="PanelBase", verbose_name=_("评审对象"), related_name="panels"
    )
    note = models.TextField(_("备注"), blank=True)
    created_by = actor_field(_("组织人"))
    created_at = moment_field(_("组建时间"))
    concluded_at = optional_moment_field(_("完成时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("专家组")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.SCORING


class PanelCriterion(CriterionFields):
    """A criterion as the panel scores it (copied from the template when the panel was formed)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="criteria")

    class Meta(CriterionFields.Meta):
        verbose_name = verbose_name_plural = _("专家组评分项")


class PanelBase(models.Model):
    """A base a panel reviews, with the panel's conclusion on it."""

    class Outcome(models.TextChoices):
        PASSED = "passed", _("通过")
        FAILED = "failed", _("未通过")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="panel_bases")
    base = models.ForeignKey("bases.PilotBase", on_delete=models.PROTECT, related_name="panel_entries")
    score = models.DecimalField(_("专家组得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    outcome = models.CharField(_("结论"), max_length=10, choices=Outcome.choices, blank=True)
    conclusion = models.TextField(_("结论意见"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("评审对象")
        ordering = ["panel", "pk"]
        constraints = [
            unique_rule(
                ["panel", "base"], "one_entry_per_base_per_panel", _("该基地已在本专家组中，请勿重复选择。")
            )
        ]

    def __str__(self):
        return f"{self.panel} · {self.base}"


class PanelDraw(models.Model):
    """One random draw, recorded so that it can be re-verified: seed, what was asked, the eligible
    pool (expert ids in the order the draw used), the excluded experts with reasons, the picks."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("首次抽取")
        SUBSTITUTE = "substitute", _("替补抽取")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="draws")
    kind = models.CharField(_("抽取类型"), max_length=20, choices=Kind.choices)
    seed = models.BigIntegerField(_("随机种子"))
    requested = models.PositiveSmallIntegerField(_("抽取人数"))
    specialties = models.ManyToManyField("reviews.Specialty", verbose_name=_("专业领域"), related_name="+")
    eligible = models.JSONField(_("可抽取专家"), default=list)
    excluded = models.JSONField(_("回避及排除专家"), default=list)
    picked = models.JSONField(_("抽中专家"), default=list)
    drawn_by = actor_field(_("抽取人"))
    drawn_at = moment_field(_("抽取时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("专家抽取记录")
        ordering = ["drawn_at", "pk"]

    def __str__(self):
        return f"{self.panel} {self.get_kind_display()} {self.drawn_at:%Y-%m-%d %H:%M}"


class PanelMember(models.Model):
    """An expert drawn onto a panel and their answer: accept with the declaration, or decline."""

    class State(models.TextChoices):
        INVITED = "invited", _("待确认")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已谢绝")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey("reviews.Expert", on_delete=models.PROTECT, related_name="memberships")
    draw = models.ForeignKey(PanelDraw, on_delete=models.PROTECT, related_name="members")
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.INVITED)
    declaration = models.TextField(_("无利益冲突声明"), blank=True)
    declared_at = optional_moment_field(_("声明时间"))
    decline_reason = models.TextField(_("谢绝理由"), blank=True)
    responded_at = optional_moment_field(_("答复时间"))
    replaced = models.BooleanField(_("已替补"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = _("专家组成员")
        ordering = ["panel", "pk"]
        constraints = [
            unique_rule(
                ["panel", "expert"],
                "one_membership_per_expert_per_panel",
                _("该专家已是本专家组成员，请选择其他专家。"),
            ),
            check_rule(
                ~models.Q(state="accepted") | models.Q(declared_at__isnull=False),
                "accepted_member_has_declared",
                _("接受评审前须签署无利益冲突声明。"),
            ),
        ]

    def __str__(self):
        return f"{self.panel} · {self.expert}"


class Recommendation(models.TextChoices):
    PASS = "pass", _("建议通过")
    FAIL = "fail", _("建议不通过")


class ScoreSheet(models.Model):
    """One member's scores for one base of the panel; locked once submitted."""

    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="sheets")
    entry = models.ForeignKey(PanelBase, on_delete=models.PROTECT, related_name="sheets")
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    opinion = models.TextField(_("评审意见"), blank=True)
    recommendation = models.CharField(
        _("评审建议"), max_length=10, choices=Recommendation.choices, blank=True
    )
    submitted_at = optional_moment_field(_("提交时间"))
    updated_at = updated_field(_("保存时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("评分表")
        ordering = ["entry", "member"]
        constraints = [
            unique_rule(
                ["member", "entry"], "one_sheet_per_member_per_base", _("该专家对该基地已有评分表。")
            ),
            check_rule(
                models.Q(submitted_at__isnull=True)
                | (models.Q(total__isnull=False) & ~models.Q(recommendation="")),
                "submitted_sheet_is_complete",
                _("提交的评分表须有总分和评审建议。"),
            ),
        ]

    def __str__(self):
        return f"{self.entry} · {self.member.expert}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class CriterionScore(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(PanelCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = verbose_name_plural = _("评分项得分")
        constraints = [
            unique_rule(
                ["sheet", "criterion"],
                "one_score_per_criterion_per_sheet",
                _("该评分指标已评分，请勿重复填写。"),
            ),
            check_rule(models.Q(score__gte=0), "score_not_negative", _("评分不能为负数，请填写0或正数。")),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
