"""Every write of annual reporting, grading and triennial evaluation (Art. 15–17).

Revocations that follow from a grade go through bases.services.base_revoke: two consecutive
published 不合格 (Art. 16) in the transaction that publishes the second one, dated that day — an
unpublished grade is the bureau's draft and decides nothing; a triennial 不合格 (Art. 17) in the
transaction of the evaluation's grade.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import selectors
from assessments.models import (
    MINUTES_PURPOSE,
    AnnualGrade,
    AnnualReport,
    Evaluation,
    EvaluationMeeting,
    EvaluationRound,
    GradeChange,
    ReportingRound,
)
from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.models import FilingState, PilotBase
from bases.permissions import REVIEW_PERMISSION
from bases.policy import (
    Grade,
    annual_grades_require_revocation,
    annual_report_due,
    annual_report_grace_ends,
    evaluation_requires_revocation,
)
from bases.policy import provincial_priority as policy_provincial_priority
from bases.selectors import IN_ROSTER
from bases.services import announce, base_revoke, host_and_supervisor
from portal.accounts.models import User
from portal.documents.services import attachment_create
from portal.documents.validators import validate_upload
from portal.parameters import get_parameter, grade_list
from portal.text import join_list, join_sentences
from portal.workflow.services import lock, log_creation
from reviews.models import Panel, PanelPurpose, SiteVisit, VisitPurpose

MINUTES_KINDS = frozenset({"pdf"})  # the signed minutes, checked by content like every upload


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
    Until the year's results are published the grade is the bureau's draft: it may be corrected (every
    change is kept in GradeChange) and revokes nothing; see round_publish (Art. 16)."""
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
    sheet_rows = []
    if sheet is not None:
        sheet_rows, score = _sheet(sheet)
    base = lock(report.base)
    previous = (
        AnnualGrade.objects.filter(base=base, year=report_round.year).values_list("grade", flat=True).first()
    )
    note = (note or "").strip()
    row, _created = AnnualGrade.objects.update_or_create(
        base=base,
        year=report_round.year,
        defaults={
            "grade": grade,
            "score": _score(score),
            "sheet": sheet_rows,
            "note": note,
            "non_submission": non_submission,
            "provincial_candidate": provincial_candidate,
            "graded_by": actor,
            "graded_on": today,
        },
    )
    if previous != grade:
        GradeChange.objects.create(
            grade=row, from_grade=previous or "", to_grade=grade, note=note, changed_by=actor
        )
    return row


def provincial_priority(base: PilotBase) -> bool:
    """Art. 15: whether the bureau's ranking (parameter "provincial_priority_grades") puts the base
    first among the provincial candidates, on its latest published grade."""
    grades = dict(AnnualGrade.objects.published().filter(base=base).values_list("year", "grade"))
    return base.status in IN_ROSTER and policy_provincial_priority(
        grades, grade_list("provincial_priority_grades")
    )


def publication_would_revoke(base: PilotBase, year: int) -> bool:
    """Art. 16: whether publishing ``year``'s results, as graded now, revokes the base (a 不合格 next to
    a published 不合格) — for the warning the bureau sees before it publishes."""
    grades = dict(AnnualGrade.objects.published().filter(base=base).values_list("year", "grade"))
    draft = AnnualGrade.objects.filter(base=base, year=year).values_list("grade", flat=True).first()
    grades[year] = draft
    return base.status in IN_ROSTER and annual_grades_require_revocation(grades)


def _revoke_after_publication(*, actor: User, report_round: ReportingRound, today: date) -> list[PilotBase]:
    """Art. 16: once a year's results are published, every base in the roster with two consecutive
    published 不合格 — this year and the year before or after it, if published — is revoked today."""
    year = report_round.year
    failed_now = AnnualGrade.objects.filter(year=year, grade=Grade.FAIL).values("base_id")
    neighbours = dict.fromkeys(
        AnnualGrade.objects.published()
        .filter(base_id__in=failed_now, year__in=[year - 1, year + 1], grade=Grade.FAIL)
        .values_list("base_id", flat=True)
    )
    revoked = []
    for base in PilotBase.objects.filter(pk__in=list(neighbours), status__in=IN_ROSTER).order_by("pk"):
        published = dict(AnnualGrade.objects.published().filter(base=base).values_list("year", "grade"))
        if not annual_grades_require_revocation(published):
            continue
        failed = sorted(y for y, g in published.items() if g == Grade.FAIL)
        revoked.append(
            base_revoke(
                actor=actor,
                base=base,
                reason_code="two_consecutive_failures",
                note=_("年度考核连续两年不合格（%(years)s），%(year)d年度考核结果于 %(on)s 发布。")
                % {"years": join_list(str(y) for y in failed), "year": year, "on": today.isoformat()},
                today=today,
            )
        )
    return revoked


@transaction.atomic
def round_publish(*, actor: User, report_round: ReportingRound, now=None) -> ReportingRound:
    """Publish a year's results to every host at once; from now on they are the results of Art. 16
    (frozen, and two consecutive published 不合格 revoke the base, dated today)."""
    _require_bureau(actor)
    report_round = ReportingRound.objects.select_for_update().get(pk=report_round.pk)
    if report_round.published_at:
        raise TransitionRefused(_("考核结果已发布。"))
    ungraded = report_round.reports.exclude(base__grades__year=report_round.year).count()
    if ungraded:
        raise TransitionRefused(_("还有 %(n)d 个基地未考核，全部考核后才能发布。") % {"n": ungraded})
    report_round.published_at = now or timezone.now()
    report_round.save(update_fields=["published_at"])
    # Art. 16: the results take effect now; a second consecutive 不合格 revokes the base today.
    report_round.revoked = _revoke_after_publication(
        actor=actor, report_round=report_round, today=timezone.localdate(report_round.published_at)
    )
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
    """Every base in the roster whose triennial due date falls in `year` (Art. 17), with its due
    date: the selector's set-based choice (assessments.selectors), the bases loaded in one query."""
    due = selectors.bases_due_for_evaluation(year)
    bases = PilotBase.objects.in_bulk([pk for pk, _on in due])
    return [(bases[pk], on) for pk, on in due]


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


def evaluation_inspection(evaluation: Evaluation) -> SiteVisit | None:
    """Art. 17: the site inspection of this evaluation — the latest evaluation visit to the base recorded
    since its round opened (an earlier visit belongs to an earlier evaluation)."""
    return (
        SiteVisit.objects.filter(
            base_id=evaluation.base_id,
            purpose=VisitPurpose.EVALUATION,
            created_at__gte=evaluation.round.opened_at,
        )
        .order_by("-visited_on", "-pk")
        .first()
    )


def _missing(evaluation: Evaluation, has_meeting: bool, inspection: SiteVisit | None) -> list[str]:
    missing = []
    if evaluation.state != FilingState.APPROVED:
        missing.append(_("自评报告尚未经市科技局受理"))
    if not has_meeting:
        missing.append(_("会议评审记录（专家组、日期、意见、会议纪要）"))
    if inspection is None:
        missing.append(_("现场考察记录（日期、人员、考察情况）"))
    return missing


def evaluation_missing(evaluation: Evaluation) -> list[str]:
    """What the evaluation still lacks before it may conclude (Art. 17: 会议评审和现场考察相结合), in the
    order the bureau gets them done; empty when it may be graded. The service refuses on this list
    and the evaluations page shows it beside each base (evaluation_checklists)."""
    has_meeting = EvaluationMeeting.objects.filter(evaluation=evaluation).exists()
    return _missing(evaluation, has_meeting, evaluation_inspection(evaluation))


def evaluation_checklists(
    evaluation_round: EvaluationRound, evaluations: list[Evaluation]
) -> dict[int, tuple[SiteVisit | None, list[str]]]:
    """evaluation_missing for a whole round at once (its inspection and what is missing, by evaluation
    id), in one query: the evaluations come with their meeting (select_related "meeting")."""
    inspections: dict[int, SiteVisit] = {}
    for visit in SiteVisit.objects.filter(
        base_id__in=[e.base_id for e in evaluations],
        purpose=VisitPurpose.EVALUATION,
        created_at__gte=evaluation_round.opened_at,
    ).order_by("visited_on", "pk"):
        inspections[visit.base_id] = visit  # the latest wins
    result = {}
    for evaluation in evaluations:
        inspection = inspections.get(evaluation.base_id)
        has_meeting = getattr(evaluation, "meeting", None) is not None
        result[evaluation.pk] = (
            inspection,
            [] if evaluation.grade else _missing(evaluation, has_meeting, inspection),
        )
    return result


def evaluation_panels(evaluation: Evaluation) -> QuerySet[Panel]:
    """The evaluation panels that may have held this base's meeting review: formed since the round
    opened, with the base among what they reviewed."""
    return Panel.objects.filter(
        purpose=PanelPurpose.EVALUATION,
        panel_bases__base_id=evaluation.base_id,
        created_at__gte=evaluation.round.opened_at,
    ).distinct()


@transaction.atomic
def evaluation_meeting_record(
    *,
    actor: User,
    evaluation: Evaluation,
    panel: Panel | None,
    held_on: date | None,
    opinion: str,
    minutes,
    today: date | None = None,
) -> EvaluationMeeting:
    """Art. 17: record (or correct, until the grade) the meeting review of a base's evaluation: the
    evaluation panel that reviewed it and has concluded, the meeting's date, its opinion and the
    minutes as a PDF. Everything is checked before anything is written; a refusal names each field."""
    _require_bureau(actor)
    today = today or timezone.localdate()
    evaluation = Evaluation.objects.select_for_update().select_related("round", "base").get(pk=evaluation.pk)
    if evaluation.grade:
        raise TransitionRefused(_("该评估已有结果，不能再修改会议评审记录。"))
    opinion = (opinion or "").strip()
    errors = {}
    if panel is None:
        errors["panel"] = _("请选择开展会议评审的专家组。")
    elif panel.purpose != PanelPurpose.EVALUATION:
        errors["panel"] = _("所选专家组不是三年评估专家组。")
    elif (panel := evaluation_panels(evaluation).filter(pk=panel.pk).first()) is None:  # as stored now
        errors["panel"] = _("所选专家组的评审对象中没有该基地，或组建于本轮评估开启之前。")
    elif panel.is_open:
        errors["panel"] = _("所选专家组尚未完成评审（专家评分并由市科技局形成结论后方可作为会议评审）。")
    if held_on is None:
        errors["held_on"] = _("请填写会议日期。")
    elif held_on > today:
        errors["held_on"] = _("会议日期不能晚于今天。")
    elif held_on.year < evaluation.round.year:
        errors["held_on"] = _("会议日期不能早于本轮评估年度。")
    if not opinion:
        errors["opinion"] = _("请填写会议评审意见。")
    if not minutes:
        errors["minutes"] = _("请上传会议纪要（PDF）。")
    else:
        try:
            validate_upload(minutes, MINUTES_KINDS)
        except ValidationError as exc:
            errors["minutes"] = join_sentences(exc.messages)
    if errors:
        raise ApplicationInvalid(_("会议评审记录填写有误。"), field_errors=errors)
    meeting, _created = EvaluationMeeting.objects.update_or_create(
        evaluation=evaluation,
        defaults={"panel": panel, "held_on": held_on, "opinion": opinion, "recorded_by": actor},
    )
    attachment_create(
        owner=meeting, purpose=MINUTES_PURPOSE, file=minutes, uploaded_by=actor, allowed=MINUTES_KINDS
    )
    return meeting


@transaction.atomic
def evaluation_grade(
    *, actor: User, evaluation: Evaluation, grade: str, note: str = "", today: date | None = None
) -> Evaluation:
    """Grade a base's triennial evaluation. Art. 17 evaluates by meeting review and site inspection
    together: both must be on record for this round, else the grade is refused naming what is missing;
    不合格 revokes the base at once."""
    _require_bureau(actor)
    today = today or timezone.localdate()
    evaluation = Evaluation.objects.select_for_update().select_related("round", "base").get(pk=evaluation.pk)
    if evaluation.grade:
        raise TransitionRefused(_("该评估已有结果。"))
    if grade not in Grade.values:
        raise TransitionRefused(_("请选择评估结果。"))
    missing = evaluation_missing(evaluation)
    if missing:
        raise TransitionRefused(
            _("尚不能作出评估结论（第十七条），还缺少：%(missing)s。") % {"missing": join_sentences(missing)}
        )
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
