"""Dashboard figures, aggregated in the database over the user's scope: a fixed number of
queries whatever the number of bases."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from assessments.models import AnnualGrade, AnnualReport
from bases.deadlines import Due
from bases.models import Award, LedgerEntry, PilotBase, Status
from bases.policy import Grade
from bases.selectors import sees_every_base
from portal.accounts.models import Region
from portal.cache_versions import bump_version, cached_figure

PIPELINE = [
    ("application", [Status.SUBMITTED, Status.RETURNED]),
    ("recommended", [Status.RECOMMENDED, Status.PRELIMINARY_PASSED]),
    ("review", [Status.EXPERT_REVIEW, Status.REVIEW_PASSED]),
    ("notice", [Status.IN_NOTICE, Status.NOTICE_CLEARED]),
    ("approved", [Status.APPROVED]),
    ("construction", [Status.UNDER_CONSTRUCTION, Status.ACCEPTANCE_APPLIED, Status.ACCEPTANCE_REVIEW]),
    ("recognized", [Status.RECOGNIZED]),
]


@dataclass
class Bar:
    label: str
    value: int
    url: str
    percent: float = 0.0


def _bars(rows: list[Bar]) -> list[Bar]:
    top = max((r.value for r in rows), default=0) or 1
    for row in rows:
        row.percent = round(100 * row.value / top, 1)
    return rows


# The deadlines counted on the cards (overdue, or due within 30 days), listed one by one: the most
# urgent first (bases.deadlines.Due.sort_key), at most this many, so the page stays the same size
# whatever the number of bases; the cards' links lead to the full lists.
URGENT_SHOWN = 20


def _most_urgent(bases_due, reports_due, today) -> list[dict]:
    """The URGENT_SHOWN most urgent of the bases whose construction period ends (Art. 8-4: the
    acceptance is applied for when it ends) and of the annual reports not yet filed by the round's
    due date (Art. 15): what, which base, its due date. Two queries of at most URGENT_SHOWN rows."""
    items = [
        {
            "what": gettext("建设期满"),
            "base": base,
            "url": reverse("bases:detail", args=[base.pk]),
            "due": Due(base.construction_deadline, today),
        }
        for base in bases_due.select_related(None)
        .select_related("host")
        # (the state is read when a row is loaded, django_fsm.ConcurrentTransitionMixin: never deferred)
        .only("name", "status", "construction_deadline", "host__name")
        .order_by("construction_deadline", "pk")[:URGENT_SHOWN]
    ]
    items += [
        {
            "what": gettext("%(year)d年度报告") % {"year": report.round.year},
            "base": report.base,
            "url": reverse("bases:filing", args=["annual-report", report.pk]),
            "due": Due(report.round.due_on, today),
        }
        for report in reports_due.select_related("round", "base__host")
        .only("state", "round__year", "round__due_on", "base__name", "base__status", "base__host__name")
        .order_by("round__due_on", "pk")[:URGENT_SHOWN]
    ]
    items.sort(key=lambda item: item["due"].sort_key)
    return [
        {**item, "base": {"pk": item["base"].pk, "name": item["base"].name, "host": item["base"].host.name}}
        for item in items[:URGENT_SHOWN]
    ]


def dashboard(bases, *, everything: bool = False) -> dict:
    """Every figure of the dashboard for the bases in `bases` (a scoped queryset); `everything` says
    the scope is the whole table (the bureau), so the related tables are aggregated without a
    subquery over every base id."""
    today = timezone.localdate()

    def of(model):
        rows = model.objects.all()
        return rows if everything else rows.filter(base__in=bases)

    by_status = dict(bases.order_by().values_list("status").annotate(n=Count("pk")))
    by_county = dict(
        bases.filter(status=Status.RECOGNIZED).order_by().values_list("host__region").annotate(n=Count("pk"))
    )
    year = today.year
    this_year = dict(
        bases.filter(application_year=year).order_by().values_list("status").annotate(n=Count("pk"))
    )
    deadlines = bases.filter(status=Status.UNDER_CONSTRUCTION).aggregate(
        overdue=Count("pk", filter=Q(construction_deadline__lt=today)),
        soon=Count(
            "pk",
            filter=Q(construction_deadline__gte=today, construction_deadline__lte=today + timedelta(days=30)),
        ),
    )
    reports = (
        of(AnnualReport)
        .filter(state__in=["draft", "returned"])
        .aggregate(
            overdue=Count("pk", filter=Q(round__due_on__lt=today)),
            soon=Count(
                "pk", filter=Q(round__due_on__gte=today, round__due_on__lte=today + timedelta(days=30))
            ),
        )
    )
    horizon = today + timedelta(days=30)
    urgent = _most_urgent(
        bases.filter(status=Status.UNDER_CONSTRUCTION, construction_deadline__lte=horizon),
        of(AnnualReport).filter(state__in=["draft", "returned"], round__due_on__lte=horizon),
        today,
    )
    grades = {}
    for grade_year, grade, n in (
        of(AnnualGrade).order_by().values_list("year", "grade").annotate(n=Count("pk"))
    ):
        grades.setdefault(grade_year, dict.fromkeys(Grade.values, 0))[grade] = n
    money = of(Award).aggregate(
        awarded=Sum("amount"), disbursed=Sum("disbursed_amount", filter=Q(disbursed_on__isnull=False))
    )
    spent = of(LedgerEntry).filter(direction="expenditure").aggregate(total=Sum("amount"))
    zero = Decimal("0.00")
    return {
        "total": sum(by_status.values()),
        "states": _bars(
            [
                Bar(str(label), by_status.get(value, 0), f"/bases/?status={value}")
                for value, label in Status.choices
            ]
        ),
        "counties": _bars(
            [
                Bar(str(label), by_county.get(value, 0), f"/bases/?county={value}&status=recognized")
                for value, label in Region.choices
            ]
        ),
        "pipeline": _bars(
            [
                Bar(stage, sum(this_year.get(s, 0) for s in states), f"/bases/?status={states[0]}")
                for stage, states in PIPELINE
            ]
        ),
        "year": year,
        "deadlines": deadlines,
        "reports": reports,
        "urgent": urgent,
        "urgent_shown": URGENT_SHOWN,
        "grades": sorted(grades.items()),
        "grade_labels": Grade.choices,
        "awarded": money["awarded"] or zero,
        "disbursed": money["disbursed"] or zero,
        "spent": spent["total"] or zero,
    }


# The bureau's and supervisors' figures are cached per scope, day and language, and dropped whenever a
# base, grade, report, award or ledger entry is saved or deleted (a new version key), so a figure is
# never older than the last change; CACHE_SECONDS bounds what no signal sees (set-based updates).
CACHE_SECONDS = 600
VERSION_KEY = "dashboard:version"
logger = logging.getLogger(__name__)


def figures_for(user, bases) -> dict:
    """The dashboard of this user's scope, from the cache when nothing changed since it was made."""
    everything = sees_every_base(user)

    def compute():
        return {**dashboard(bases, everything=everything), "computed_at": timezone.now()}

    scope = "all" if everything else f"{user.role}:{user.organisation_id}"
    return cached_figure(VERSION_KEY, f"dashboard:{scope}:{get_language()}", compute, CACHE_SECONDS)


def invalidate(**_kwargs) -> None:
    """Drop every cached dashboard (portal.cache_versions: now and when the saving transaction
    commits)."""
    bump_version(VERSION_KEY)


def connect_invalidation() -> None:
    for model in (PilotBase, AnnualGrade, AnnualReport, Award, LedgerEntry):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"dashboard-{model._meta.label}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"dashboard-{model._meta.label}-delete")


def host_overview(bases) -> list[dict]:
    """For a host unit: each of `bases` (a page of them) with its next deadline, last grade and fund
    balance."""
    bases = list(bases)
    last_grades = {}
    for base_id, year, grade in (
        AnnualGrade.objects.filter(base__in=bases)
        .order_by("base_id", "year")
        .values_list("base_id", "year", "grade")
    ):
        last_grades[base_id] = (year, Grade(grade).label)
    balances = dict(
        LedgerEntry.objects.filter(base__in=bases)
        .order_by()
        .values_list("base_id")
        .annotate(
            balance=Sum("amount", filter=Q(direction="receipt"), default=0)
            - Sum("amount", filter=Q(direction="expenditure"), default=0)
        )
    )
    return [
        {
            "base": base,
            "deadline": base.construction_deadline if base.status == Status.UNDER_CONSTRUCTION else None,
            "grade": last_grades.get(base.pk),
            "balance": balances.get(base.pk, Decimal("0.00")),
        }
        for base in bases
    ]
