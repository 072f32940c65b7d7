"""The reads of the bureau's assessment screens (Art. 15–17), set-based so that a screen costs the same
at 5 bases as at 100,000: rows are filtered, counted and grouped in the database, and only a page of
them is loaded."""

from datetime import date

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, ExtractYear, Mod

from assessments.models import AnnualGrade, AnnualReport, Evaluation
from bases.models import PilotBase, Status
from bases.policy import EVALUATION_CYCLE_MONTHS, triennial_due
from bases.selectors import IN_ROSTER

# The columns the assessment lists show of a base: its long application texts stay in the database.
LIST_COLUMNS = ("name", "status", "status_changed_at", "recognized_on", "host__name", "host__region")


# The cached figures of the assessments page (portal.cache_versions.cached_figure): replaced when a
# base, report, grade or evaluation is saved or deleted (assessments.apps).
FIGURES_VERSION = "assessments:figures"


def bases_owing_report(year: int) -> QuerySet[PilotBase]:
    """Art. 15 (bases.policy.owes_annual_report, in SQL): in the roster on 31 December of `year` —
    recognised by then, and neither revoked nor superseded (by a successor recognised) by then.
    Without DISTINCT (the successor test is a subquery), so counting and paging use the indexes."""
    end = date(year, 12, 31)
    superseded_by_then = PilotBase.objects.filter(predecessor=OuterRef("pk"), recognized_on__lte=end)
    return (
        PilotBase.objects.filter(recognized_on__lte=end)
        .filter(status__in=[*IN_ROSTER, Status.REVOKED, Status.SUPERSEDED])
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=end))
        .exclude(Q(status=Status.SUPERSEDED) & Exists(superseded_by_then))
    )


def owing_list(year: int) -> QuerySet[PilotBase]:
    """The bases owing a report for `year`, for a paged list (mark a page with mark_reported)."""
    return bases_owing_report(year).select_related("host").only(*LIST_COLUMNS)


def mark_reported(bases, year: int) -> list[PilotBase]:
    """Each base of a page marked with whether its report for `year` exists: one query for the page
    (as a subquery of the list, PostgreSQL hashed every report of the round for each page)."""
    bases = list(bases)
    reported = set(
        AnnualReport.objects.filter(round__year=year, base_id__in=[b.pk for b in bases]).values_list(
            "base_id", flat=True
        )
    )
    for base in bases:
        base.has_report = base.pk in reported
    return bases


def owing_counts(year: int) -> dict:
    """How many bases owe a report for `year`, by state, and how many have been graded, by grade:
    each one grouped query."""
    by_state = dict(bases_owing_report(year).order_by().values_list("status").annotate(n=Count("pk")))
    by_grade = dict(
        AnnualGrade.objects.filter(year=year).order_by().values_list("grade").annotate(n=Count("pk"))
    )
    return {"total": sum(by_state.values()), "by_state": by_state, "by_grade": by_grade}


def bases_due_for_evaluation(year: int) -> list[tuple[int, date]]:
    """(base id, due date) of every base in the roster whose triennial due date falls in `year`
    (Art. 17, bases.policy.triennial_due), the earliest due first.

    Only a base recognised a whole number of cycles before `year` has an anniversary in it, so the
    database selects those (two columns each) and their last evaluation (one grouped query); the
    policy function decides on the dates, without a base being loaded."""
    years = EVALUATION_CYCLE_MONTHS // 12
    candidates = (
        PilotBase.objects.filter(
            status__in=IN_ROSTER, recognized_on__isnull=False, recognized_on__year__lt=year
        )
        .annotate(cycle=Mod(Cast(Value(year), IntegerField()) - ExtractYear("recognized_on"), years))
        .filter(cycle=0)
        .order_by()
    )
    last_evaluated = dict(
        Evaluation.objects.filter(graded_on__isnull=False, base__in=candidates.values("pk"))
        .order_by()
        .values_list("base_id")
        .annotate(on=Max("graded_on"))
    )
    due = []
    for pk, recognized_on in candidates.values_list("pk", "recognized_on"):
        on = triennial_due(recognized_on, last_evaluated.get(pk))
        if on.year == year:
            due.append((pk, on))
    return sorted(due, key=lambda item: (item[1], item[0]))
