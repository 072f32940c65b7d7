"""Annual grading (Art. 16): the bureau's grade of each base for a year, on its merits or on the score
sheet, as a draft until the year's results are published; publication revokes every base with two
consecutive published 不合格 (bases.services.base_revoke), in the publishing transaction, dated that
day — an unpublished grade is the bureau's draft and decides nothing."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import AnnualGrade, AnnualReport, GradeChange, ReportingRound
from assessments.permissions import require_bureau
from assessments.services.common import tell_host
from bases import review_records
from bases.exceptions import TransitionRefused
from bases.models import FilingState, PilotBase
from bases.policy import Grade, annual_grades_require_revocation
from bases.policy import provincial_priority as policy_provincial_priority
from bases.selectors import IN_ROSTER
from bases.services import base_revoke
from portal.accounts.models import User
from portal.parameters import grade_list
from portal.scoring import sheet_total
from portal.text import join_list
from portal.workflow.services import lock


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
    """The bureau's score sheet for annual grading (a scoring template of the expert review)."""
    return review_records.annual_score_sheet()


def _sheet(values) -> tuple[list, Decimal]:
    """Per-criterion scores of the annual template → the stored sheet and its weighted total."""
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
    require_bureau(actor)
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
    require_bureau(actor)
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
        tell_host(
            grade.base,
            (
                gettext_lazy("%(year)d年度考核结果：%(name)s %(grade)s"),
                {"year": grade.year, "name": grade.base.name, "grade": grade.get_grade_display()},
            ),
            grade.note,
        )
    return report_round
