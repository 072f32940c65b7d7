"""Excel exports of bases: the roster with the list's filters and the user's
scope, and a base's fund ledger. Aggregates come from the database (subqueries), rows are streamed
with .iterator(), so the export's memory does not grow with the number of bases."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from assessments.models import AnnualGrade
from bases.models import Award, ConstructionMode, LedgerEntry, Status, category_names
from bases.policy import Grade
from portal.accounts.models import Region
from portal.documents.excel import Column

ROSTER_COLUMNS = [
    Column(_("基地名称"), 34),
    Column(_("依托单位"), 30),
    Column(_("统一社会信用代码"), 22),
    Column(_("所在区县"), 12),
    Column(_("研发方向"), 16),
    Column(_("建设模式"), 10),
    Column(_("状态"), 12),
    Column(_("首次提交日期"), 13, "date"),
    Column(_("批准立项日期"), 13, "date"),
    Column(_("建设期满日期"), 13, "date"),
    Column(_("认定日期"), 13, "date"),
    Column(_("最近考核年度"), 12, "int"),
    Column(_("最近考核结果"), 12),
    Column(_("奖励资助（元）"), 16, "money"),
    Column(_("专项资金支出（元）"), 18, "money"),
]
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))


def roster_rows(queryset):
    latest = AnnualGrade.objects.published().filter(base=OuterRef("pk")).order_by("-year")  # Art. 16
    spent = (
        LedgerEntry.objects.filter(base=OuterRef("pk"), direction="expenditure")
        .order_by()
        .values("base")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    rows = (
        queryset.order_by("pk")
        .annotate(
            latest_year=Subquery(latest.values("year")[:1]),
            latest_grade=Subquery(latest.values("grade")[:1]),
            award_amount=Subquery(Award.objects.filter(base=OuterRef("pk")).values("amount")[:1]),
            funds_spent=Coalesce(
                Subquery(spent, output_field=DecimalField(max_digits=14, decimal_places=2)), ZERO
            ),
        )
        .values_list(
            "name",
            "host__name",
            "host__uscc",
            "host__region",
            "rd_direction",
            "construction_mode",
            "status",
            "applied_on",
            "approved_on",
            "construction_deadline",
            "recognized_on",
            "latest_year",
            "latest_grade",
            "award_amount",
            "funds_spent",
        )
    )
    # The labels translated once, not once a row.
    regions, modes, states, grades = (
        {value: str(label) for value, label in choices}
        for choices in (Region.choices, ConstructionMode.choices, Status.choices, Grade.choices)
    )
    for row in rows.iterator(chunk_size=2000):
        row = list(row)
        row[3] = regions.get(row[3], row[3])
        row[5] = modes.get(row[5], row[5] or "")
        row[6] = states.get(row[6], row[6])
        row[12] = grades.get(row[12], "") if row[12] else ""
        yield row


LEDGER_COLUMNS = [
    Column(_("日期"), 13, "date"),
    Column(_("收支"), 8),
    Column(_("支出类别"), 10),
    Column(_("金额（元）"), 16, "money"),
    Column(_("收付款单位"), 28),
    Column(_("摘要"), 40),
]


def ledger_rows(base):
    names = category_names()
    for entry in base.ledger.order_by("entry_on", "pk"):
        yield [
            entry.entry_on,
            str(entry.get_direction_display()),
            names.get(entry.category, entry.category) if entry.category else "",
            entry.amount,
            entry.payee,
            entry.note,
        ]


def run_roster_export(job) -> None:
    """The worker's side of a large roster export: the same filters and scope as the page."""
    from django.http import QueryDict

    from bases.filters import BaseFilter
    from bases.selectors import base_list_for
    from portal.documents.excel import write_workbook
    from portal.documents.jobs import attach_file, progress

    user = job.requested_by
    filterset = BaseFilter(QueryDict(job.params.get("query", "")), queryset=base_list_for(user))
    queryset = filterset.qs if filterset.is_valid() else base_list_for(user).none()

    def counted(rows):
        for done, row in enumerate(rows, start=1):
            if done % 2000 == 0:
                progress(job, done)
            yield row

    attach_file(
        job,
        "roster.xlsx",
        lambda handle: write_workbook(handle, "roster", ROSTER_COLUMNS, counted(roster_rows(queryset))),
    )
    progress(job, job.total)
