"""Every write of annual reporting, grading and triennial evaluation (Art. 15–17).

Revocations that follow from a grade (two consecutive 不合格, Art. 16; evaluation 不合格, Art. 17)
happen in the same transaction as the grade, through bases.services.base_revoke.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import selectors
from assessments.models import AnnualGrade, AnnualReport, Evaluation, EvaluationRound, ReportingRound
from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import FilingState, PilotBase, Status
from bases.permissions import REVIEW_PERMISSION
from bases.policy import (
    Grade,
    annual_grades_require_revocation,
    annual_report_due,
    annual_report_grace_ends,
    evaluation_requires_revocation,
    triennial_due,
)
from bases.services import announce, base_revoke, host_and_supervisor
from portal.accounts.models import User
from portal.parameters import get_parameter
from portal.text import join_list
from portal.workflow.services import lock, log_creation
from reviews.models import SiteVisit, VisitPurpose

IN_ROSTER = (Status.RECOGNIZED, Status.RE_RECOGNITION_REQUIRED)


def _require_bureau(actor: User) -> None:
    if not actor.has_perm(REVIEW_PERMISSION):
        raise PermissionRefused(_("只有市科技局可以办理年度考核和评估。"))


def _tell(base: PilotBase, title, body="", url="") -> None:
    announce(base, host_and_supervisor(base), title, body, url=url, kind="deadline")


# --- who owes a report -------------------------------------------------------------------------------
def bases_owing_report(year: int) -> QuerySet[PilotBase]:
    """Art. 15: the bases in the roster on 31 December of `year` (one definition, in selectors)."""
    return selectors.bases_owing_report(year)


@transaction.atomic
def round_open(*, actor: User, year: int, today: date | None = None) -> ReportingRound:
    """Open the reporting round for `year`: a draft report for every base that owes one."""
    _require_bureau(actor)
    today = today or timezone.localdate()
    if year >= today.year:
        raise TransitionRefused(_("年度报告在次年年初报送，%(year)d年度的报送尚不能开启。") % {"year": year})
    if ReportingRound.objects.filter(year=year).exists():
        raise TransitionRefused(_("%(year)d年度的报送已经开启。") % {"year": year})
    month, day = get_parameter("annual_report_due_month"), get_parameter("annual_report_due_day")
    report_round = ReportingRound.objects.create(
        year=year,
        due_on=annual_report_due(year, month, day),
        grace_ends_on=annual_report_grace_ends(year, get_parameter("annual_report_grace_days"), month, day),
        opened_by=actor,
    )
    for base in bases_owing_report(year).select_related("host", "supervising_unit"):
        report = AnnualReport.objects.create(base=base, round=report_round, created_by=actor)
        log_creation(instance=report, actor=actor, field="state")
        _tell(
            base,
            (gettext_lazy("请报送%(year)d年度报告：%(name)s"), {"year": year, "name": base.name}),
            (
                gettext_lazy("请于 %(on)s 前报送上年度总结报告及当年工作计划（第十五条）。"),
                {"on": report_round.due_on.isoformat()},
            ),
            url=reverse("bases:filing", args=["annual-report", report.pk]),
        )
    return report_round


def ledger_for_year(base: PilotBase, year: int):
    """The report's fund figures, taken from the base's ledger for that year (not typed again)."""
    from bases.services.funds import ledger_summary

    summary = ledger_summary(base)
    for row_year, received, spent, categories in summary.by_year:
        if row_year == year:
            return {"received": received, "spent": spent, "categories": categories}
    zero = Decimal("0.00")
    return {"received": zero, "spent": zero, "categories": dict.fromkeys(summary.by_category, zero)}


# --- grading (Art. 16) -----------------------------------------------------------------------------
def _score(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation as exc:
        raise TransitionRefused(_("考核得分须为数字。")) from exc
    if not score.is_finite():  # "NaN" parses, then fails every comparison
        raise TransitionRefused(_("考核得分须为数字。"))
    if not Decimal(0) <= score <= Decimal(100):
        raise TransitionRefused(_("考核得分须在 0 至 100 之间。"))
    return score


def annual_template():
    """The bureau's score sheet for annual grading (reviews.ScoringTemplate, purpose annual)."""
    from reviews.models import ScoringTemplate

    return (
        ScoringTemplate.objects.filter(purpose="annual", is_active=True).prefetch_related("criteria").first()
    )


def _sheet(values) -> tuple[list, Decimal]:
    """Per-criterion scores of the annual template → the stored sheet and its weighted total."""
    from reviews.scoring import sheet_total

    template = annual_template()
    if template is None:
        raise TransitionRefused(_("尚未设置年度考核评分表。"))
    rows, parts = [], []
    for criterion in template.criteria.all():
        raw = values.get(criterion.pk)
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, AttributeError) as exc:
            raise TransitionRefused(_("请为“%(name)s”打分。") % {"name": criterion.name}) from exc
        if not value.is_finite():  # "NaN" parses, then fails every comparison
            raise TransitionRefused(_("请为“%(name)s”打分。") % {"name": criterion.name})
        if not Decimal(0) <= value <= criterion.max_score:
            raise TransitionRefused(
                _("“%(name)s”的得分须在 0 至 %(max)s 之间。")
                % {"name": criterion.name, "max": criterion.max_score}
            )
        rows.append([criterion.name, str(value), str(criterion.max_score), str(criterion.weight)])
        parts.append((value, criterion.max_score, criterion.weight))
    return rows, sheet_total(parts)


@transaction.atomic
def grade_record(
    *,
    actor: User,
    report: AnnualReport,
    grade: str,
    score=None,
    note: str = "",
    provincial_candidate: bool = False,
    sheet=None,
    today: date | None = None,
) -> AnnualGrade:
    """Grade a base for the round's year. A report the bureau has received is graded on its merits; a
    report never submitted may be graded 不合格 for non-submission once the grace period has ended.
    Two consecutive 不合格 revoke the base at once (Art. 16)."""
    _require_bureau(actor)
    today = today or timezone.localdate()
    report = AnnualReport.objects.select_related("round", "base").get(pk=report.pk)
    report_round = report.round
    if report_round.published_at:
        raise TransitionRefused(_("%(year)d年度考核结果已发布，不能再修改。") % {"year": report_round.year})
    if grade not in Grade.values:
        raise TransitionRefused(_("请选择考核结果。"))
    non_submission = False
    if report.state != FilingState.APPROVED:
        if report.state in (FilingState.SUBMITTED, FilingState.SUPERVISOR_APPROVED):
            raise TransitionRefused(_("年度报告正在审核，请待市科技局受理后再考核。"))
        if today <= report_round.grace_ends_on:
            raise TransitionRefused(
                _("年度报告尚未报送；%(on)s 宽限期满后方可按未报送评为不合格。")
                % {"on": report_round.grace_ends_on.isoformat()}
            )
        if grade != Grade.FAIL:
            raise TransitionRefused(_("未报送年度报告的，只能评为不合格。"))
        non_submission = True
    if provincial_candidate and grade != Grade.EXCELLENT:
        raise TransitionRefused(_("只有考核优秀的基地可以列为省级中试基地培养对象。"))
    sheet_rows = []
    if sheet is not None:
        sheet_rows, score = _sheet(sheet)
    base = lock(report.base)
    row, _created = AnnualGrade.objects.update_or_create(
        base=base,
        year=report_round.year,
        defaults={
            "grade": grade,
            "score": _score(score),
            "sheet": sheet_rows,
            "note": (note or "").strip(),
            "non_submission": non_submission,
            "provincial_candidate": provincial_candidate,
            "graded_by": actor,
            "graded_on": today,
        },
    )
    grades = dict(AnnualGrade.objects.filter(base=base).values_list("year", "grade"))
    if annual_grades_require_revocation(grades) and base.status in IN_ROSTER:
        failed = sorted(y for y, g in grades.items() if g == Grade.FAIL)
        base_revoke(
            actor=actor,
            base=base,
            reason_code="two_consecutive_failures",
            note=_("年度考核连续两年不合格（%(years)s）。") % {"years": join_list(failed)},
            today=today,
        )
    return row


@transaction.atomic
def round_publish(*, actor: User, report_round: ReportingRound, now=None) -> ReportingRound:
    """Publish a year's results to every host at once."""
    _require_bureau(actor)
    report_round = ReportingRound.objects.select_for_update().get(pk=report_round.pk)
    if report_round.published_at:
        raise TransitionRefused(_("考核结果已发布。"))
    ungraded = report_round.reports.exclude(base__grades__year=report_round.year).count()
    if ungraded:
        raise TransitionRefused(_("还有 %(n)d 个基地未考核，全部考核后才能发布。") % {"n": ungraded})
    report_round.published_at = now or timezone.now()
    report_round.save(update_fields=["published_at"])
    for grade in AnnualGrade.objects.filter(year=report_round.year).select_related("base"):
        _tell(
            grade.base,
            (
                gettext_lazy("%(year)d年度考核结果：%(name)s %(grade)s"),
                {"year": grade.year, "name": grade.base.name, "grade": grade.get_grade_display()},
            ),
            grade.note,
        )
    return report_round


# --- triennial evaluation (Art. 17) -------------------------------------------------------------------
def bases_due_for_evaluation(year: int) -> list[tuple[PilotBase, date]]:
    """Every base in the roster whose triennial due date falls in `year`."""
    last = dict(
        Evaluation.objects.filter(graded_on__isnull=False)
        .order_by()
        .values_list("base_id")
        .annotate(on=Max("graded_on"))
    )
    due = []
    for base in PilotBase.objects.filter(status__in=IN_ROSTER, recognized_on__isnull=False).order_by("pk"):
        on = triennial_due(base.recognized_on, last.get(base.pk))
        if on.year == year:
            due.append((base, on))
    return due


@transaction.atomic
def evaluation_round_open(*, actor: User, year: int) -> EvaluationRound:
    _require_bureau(actor)
    if EvaluationRound.objects.filter(year=year).exists():
        raise TransitionRefused(_("%(year)d年的三年评估已经开启。") % {"year": year})
    evaluation_round = EvaluationRound.objects.create(year=year, opened_by=actor)
    for base, due_on in bases_due_for_evaluation(year):
        evaluation = Evaluation.objects.create(
            base=base, round=evaluation_round, due_on=due_on, created_by=actor
        )
        log_creation(instance=evaluation, actor=actor, field="state")
        _tell(
            base,
            (gettext_lazy("请提交三年评估自评报告：%(name)s"), {"name": base.name}),
            (
                gettext_lazy("该基地 %(on)s 运行满三年，请提交自评报告及相关材料（第十七条）。"),
                {"on": due_on.isoformat()},
            ),
            url=reverse("bases:filing", args=["evaluation", evaluation.pk]),
        )
    return evaluation_round


@transaction.atomic
def evaluation_grade(
    *, actor: User, evaluation: Evaluation, grade: str, note: str = "", today: date | None = None
) -> Evaluation:
    """Grade a base's triennial evaluation; a site inspection must have been recorded; 不合格 revokes
    the base at once (Art. 17)."""
    _require_bureau(actor)
    today = today or timezone.localdate()
    evaluation = Evaluation.objects.select_for_update().select_related("round", "base").get(pk=evaluation.pk)
    if evaluation.grade:
        raise TransitionRefused(_("该评估已有结果。"))
    if evaluation.state != FilingState.APPROVED:
        raise TransitionRefused(_("自评报告尚未经市科技局受理。"))
    if grade not in Grade.values:
        raise TransitionRefused(_("请选择评估结果。"))
    visited = SiteVisit.objects.filter(
        base=evaluation.base, purpose=VisitPurpose.EVALUATION, created_at__gte=evaluation.round.opened_at
    ).exists()
    if not visited:
        raise TransitionRefused(_("请先记录对该基地的现场考察（第十七条）。"))
    evaluation.grade, evaluation.grade_note, evaluation.graded_on = grade, (note or "").strip(), today
    evaluation.save(update_fields=["grade", "grade_note", "graded_on"])
    base = lock(evaluation.base)
    if evaluation_requires_revocation(grade) and base.status in IN_ROSTER:
        base_revoke(
            actor=actor,
            base=base,
            reason_code="evaluation_failed",
            note=_("%(year)d年三年评估不合格。") % {"year": evaluation.round.year},
            today=today,
        )
    else:
        _tell(
            base,
            (
                gettext_lazy("三年评估结果：%(name)s %(grade)s"),
                {"name": base.name, "grade": evaluation.get_grade_display()},
            ),
            evaluation.grade_note,
        )
    return evaluation
