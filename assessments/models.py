"""Operation of recognised bases (Art. 15–17): annual reports and their grading, and the three-yearly
evaluation.

A reporting round is opened by the bureau for a year Y: every base in the roster on 31 December of Y
owes a report (bases.policy.owes_annual_report), created as a draft that base staff fill and the
chain of bases.models.filings.Filing carries to the bureau. The bureau grades each base for Y in five
grades (a missing report after the due date plus the grace period may be graded 不合格 for
non-submission); until the year's results are published a grade is the bureau's draft, which it may
correct (every change is kept in GradeChange). Publication tells the hosts at once, and two
consecutive published 不合格 revoke the base in the publishing transaction, dated that day (Art. 16).

An evaluation round for a year includes every base whose triennial due date falls in it; the host
files its self-evaluation (the same chain); the evaluation is a meeting review (EvaluationMeeting: the
evaluation panel, date, opinion, minutes) and a site inspection (reviews.SiteVisit of purpose
evaluation), both recorded in the round before the bureau grades it; 不合格 revokes the base (Art. 17).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bases.models.fields import base_field
from bases.models.filings import Filing
from bases.policy import Grade
from portal.choices import ChoiceDisplayMixin
from portal.documents.models import WithMinutes
from portal.fields import (
    actor_field,
    check_rule,
    moment_field,
    optional_moment_field,
    unique_rule,
    updated_field,
)


class Round(models.Model):
    """A round the bureau opens for a year, of annual reports (Art. 15) or of triennial evaluations
    (Art. 17): who opened it and when; the latest year first. `TITLE` names it by its year."""

    TITLE: str

    opened_by = actor_field(_("开启人"))
    opened_at = moment_field(_("开启时间"))

    class Meta:
        abstract = True
        ordering = ["-year"]

    def __str__(self):
        return self.TITLE % {"year": self.year}


class ReportingRound(Round):
    TITLE = _("%(year)d年度报告")

    year = models.PositiveSmallIntegerField(_("报告年度"), unique=True)
    due_on = models.DateField(_("报送截止日期"))
    grace_ends_on = models.DateField(_("逾期宽限截止日期"))
    published_at = optional_moment_field(_("考核结果发布时间"))

    class Meta(Round.Meta):
        verbose_name = verbose_name_plural = _("年度报告报送")


class AnnualReport(Filing):
    """Art. 15: last year's summary and this year's plan; the fund figures come from the ledger."""

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("报告年度"), on_delete=models.PROTECT, related_name="reports"
    )
    summary = models.TextField(_("上年度工作总结"), blank=True, help_text=_("对照上年度计划说明完成情况。"))
    projects = models.PositiveIntegerField(_("承担项目数"), default=0)
    patents = models.PositiveIntegerField(_("专利数"), default=0)
    standards = models.PositiveIntegerField(_("标准数"), default=0)
    enterprises_served = models.PositiveIntegerField(_("服务企业数"), default=0)
    pilot_runs = models.PositiveIntegerField(_("完成中试数"), default=0)
    revenue_wan = models.DecimalField(_("收入（万元）"), max_digits=12, decimal_places=2, default=0)
    staff = models.PositiveIntegerField(_("人员数"), default=0)
    plan = models.TextField(_("本年度工作计划"), blank=True)

    class Meta(Filing.Meta):
        verbose_name = verbose_name_plural = _("年度报告")
        constraints = [
            unique_rule(
                ["base", "round"],
                "one_report_per_base_per_year",
                _("该基地本年度已提交年度报告，请在原报告上修改。"),
            )
        ]
        # A round's reports page by page (assessments.views.round_detail).
        indexes = [models.Index(fields=["round", "base"], name="report_round_base_idx")]

    def __str__(self):
        return _("%(base)s %(year)d年度报告") % {"base": self.base, "year": self.round.year}


class AnnualGradeQuerySet(models.QuerySet):
    def published(self):
        """Art. 16: the grades that are results — the year's round is published. A grade whose year has
        no round at all was not given through the portal (entered by an administrator from earlier
        records) and has no draft stage: it counts as published."""
        return self.exclude(year__in=ReportingRound.objects.filter(published_at__isnull=True).values("year"))


class AnnualGrade(ChoiceDisplayMixin, models.Model):
    """Art. 16: the bureau's grade of a base for a year; the bureau's draft until the year's results
    are published (AnnualGrade.objects.published())."""

    base = base_field("grades")
    year = models.PositiveSmallIntegerField(_("考核年度"))
    grade = models.CharField(_("考核结果"), max_length=20, choices=Grade.choices)
    score = models.DecimalField(_("考核得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    sheet = models.JSONField(
        _("评分表"), default=list, blank=True, help_text=_("各评分项的得分：[评分项, 得分, 满分, 权重]。")
    )
    note = models.TextField(_("考核意见"), blank=True)
    non_submission = models.BooleanField(_("未报送年度报告"), default=False)
    # Art. 15 makes every base in the roster a provincial candidate; this is the bureau's own flag of
    # the ones it recommends first, for any grade.
    provincial_candidate = models.BooleanField(_("重点推荐申报省级中试基地"), default=False)
    graded_by = actor_field(_("考核人"))
    graded_on = models.DateField(_("考核日期"))

    objects = AnnualGradeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("年度考核结果")
        ordering = ["base", "year"]
        constraints = [
            unique_rule(
                ["base", "year"], "one_grade_per_base_per_year", _("该基地本年度已有考核结果，请修改原结果。")
            ),
            check_rule(
                ~models.Q(non_submission=True) | models.Q(grade="fail"),
                "non_submission_is_a_fail",
                _("未报送年度报告的，考核结果只能为不合格（第十五条），请修改考核结果。"),
            ),
        ]

    def __str__(self):
        return f"{self.base} {self.year} {self.get_grade_display()}"


class GradeChange(models.Model):
    """Art. 16: every grade the bureau gave or corrected before publication, for the audit trail.

    A grade is the bureau's draft until the year's results are published; this keeps what it was,
    what it became, who changed it and when, so a correction is visible after the fact.
    """

    grade = models.ForeignKey(
        AnnualGrade, verbose_name=_("年度考核结果"), on_delete=models.CASCADE, related_name="changes"
    )
    from_grade = models.CharField(_("原结果"), max_length=20, choices=Grade.choices, blank=True)
    to_grade = models.CharField(_("新结果"), max_length=20, choices=Grade.choices)
    note = models.TextField(_("考核意见"), blank=True)
    changed_by = actor_field(_("操作人"))
    changed_at = moment_field(_("操作时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("考核结果更正记录")
        ordering = ["grade", "pk"]

    def __str__(self):
        return f"{self.grade}: {self.from_grade or '—'} → {self.to_grade}"


class EvaluationRound(Round):
    TITLE = _("%(year)d年三年评估")

    year = models.PositiveSmallIntegerField(_("评估年度"), unique=True)

    class Meta(Round.Meta):
        verbose_name = verbose_name_plural = _("三年评估")


class Evaluation(Filing):
    """Art. 17: the host's self-evaluation for a round, and the bureau's grade."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("评估年度"), on_delete=models.PROTECT, related_name="evaluations"
    )
    due_on = models.DateField(_("评估到期日"))
    self_evaluation = models.TextField(_("自评报告"), blank=True)
    grade = models.CharField(_("评估结果"), max_length=20, choices=Grade.choices, blank=True)
    grade_note = models.TextField(_("评估意见"), blank=True)
    graded_on = models.DateField(_("评估日期"), null=True, blank=True)

    class Meta(Filing.Meta):
        verbose_name = verbose_name_plural = _("三年评估自评")
        constraints = [
            unique_rule(
                ["base", "round"],
                "one_evaluation_per_base_per_round",
                _("该基地本轮已有评估材料，请在原材料上修改。"),
            )
        ]
        # A round's evaluations page by page, earliest due first (assessments.views.evaluation_round).
        indexes = [models.Index(fields=["round", "due_on", "id"], name="evaluation_round_due_idx")]

    def __str__(self):
        return _("%(base)s %(year)d年三年评估") % {"base": self.base, "year": self.round.year}


MINUTES_PURPOSE = "evaluation_minutes"


class EvaluationMeeting(WithMinutes):
    """Art. 17: the meeting review (会议评审) of a base's triennial evaluation — the evaluation panel that
    met, the date, the meeting's opinion and its minutes (a PDF attachment, purpose evaluation_minutes,
    the bureau's only). With the site inspection it must be on record before the evaluation concludes."""

    MINUTES_PURPOSE = MINUTES_PURPOSE

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("三年评估"), on_delete=models.CASCADE, related_name="meeting"
    )
    # The panel is reviews' (settings.EVALUATION_PANEL_MODEL): the site wires the two domain apps.
    panel = models.ForeignKey(
        settings.EVALUATION_PANEL_MODEL,
        verbose_name=_("评审专家组"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("会议日期"))
    opinion = models.TextField(_("会议评审意见"))
    recorded_by = actor_field(_("记录人"))
    recorded_at = updated_field(_("记录时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("三年评估会议评审")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return _("%(evaluation)s 会议评审") % {"evaluation": self.evaluation}

    @property
    def base(self):
        """The base the minutes belong to (bases.selectors.attachment_base checks rights on it)."""
        return self.evaluation.base
