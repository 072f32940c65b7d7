"""Excel exports of bases: the roster with the list's filters and the user's
scope, and a base's fund ledger. Aggregates come from the database (subqueries), rows are streamed
with .iterator(), so the export's memory does not grow with the number of bases.

The roster's columns about other apps' records (the latest annual grade, Art. 16) are registered by
those apps (register_roster_column, from their AppConfig.ready()); bases names none of them."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from bases.filters import BaseFilter
from bases.models import Award, ConstructionMode, LedgerEntry, Status, category_names
from bases.selectors import base_list_for
from portal.accounts.models import Region
from portal.documents.excel import Column, write_workbook
from portal.documents.jobs import attach_file, progress


@dataclass(frozen=True)
class RosterColumn:
    """A roster column another app adds: its value annotated on each base by `expression()` (over
    OuterRef("pk")), printed through `labels()` (value -> label) when it is a choice."""

    column: Column
    name: str
    expression: Callable
    labels: Callable | None = None


# The roster: the base's own columns, the registered ones, then the award and the funds (Art. 9, 10).
_HEAD = [
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
]
_TAIL = [
    Column(_("奖励资助（元）"), 16, "money"),
    Column(_("专项资金支出（元）"), 18, "money"),
]
REGISTERED_COLUMNS: list[RosterColumn] = []
ROSTER_COLUMNS = [*_HEAD, *_TAIL]


def register_roster_column(column: RosterColumn) -> None:
    """Add a column before the award's (ROSTER_COLUMNS is updated in place: importers see it)."""
    REGISTERED_COLUMNS.append(column)
    ROSTER_COLUMNS[:] = [*_HEAD, *(c.column for c in REGISTERED_COLUMNS), *_TAIL]


ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))


def roster_rows(queryset):
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
            **{c.name: c.expression() for c in REGISTERED_COLUMNS},
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
            *(c.name for c in REGISTERED_COLUMNS),
            "award_amount",
            "funds_spent",
        )
    )
    # The labels translated once, not once a row.
    regions, modes, states = (
        {value: str(label) for value, label in choices}
        for choices in (Region.choices, ConstructionMode.choices, Status.choices)
    )
    labelled = [
        (index, {value: str(label) for value, label in column.labels()})
        for index, column in enumerate(REGISTERED_COLUMNS, start=len(_HEAD))
        if column.labels is not None
    ]
    for row in rows.iterator(chunk_size=2000):
        row = list(row)
        row[3] = regions.get(row[3], row[3])
        row[5] = modes.get(row[5], row[5] or "")
        row[6] = states.get(row[6], row[6])
        for index, labels in labelled:
            row[index] = labels.get(row[index], "") if row[index] else ""
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
