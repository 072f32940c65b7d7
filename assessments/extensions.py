"""What the assessments app adds to bases' pages and exports (registered in bases.extensions and
bases.exports from assessments.registrations): the annual grades (Art. 16) and the provincial
priority (Art. 15) on the base's page, the latest published grade in the roster."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from assessments.models import AnnualGrade
from assessments.permissions import may_assess
from assessments.services import provincial_priority
from bases.exports import RosterColumn
from bases.models import PilotBase
from bases.policy import Grade
from bases.selectors import IN_ROSTER
from portal.documents.excel import Column


def construction_context(base: PilotBase, user) -> dict:
    """The base's annual grades (all for the bureau, published years only for everyone else) and
    whether the bureau's ranking puts it first among the provincial candidates (Art. 15)."""
    grades = AnnualGrade.objects.filter(base=base).order_by("-year")
    if not may_assess(user):
        grades = grades.published()
    return {
        "grades": list(grades),
        "provincial_priority": provincial_priority(base) if base.status in IN_ROSTER else False,
    }


def _latest(field: str):
    """The base's latest published grade's `field` (Art. 16)."""
    latest = AnnualGrade.objects.published().filter(base=OuterRef("pk")).order_by("-year")
    return Subquery(latest.values(field)[:1])


ROSTER_COLUMNS = (
    RosterColumn(Column(_("最近考核年度"), 12, "int"), "latest_year", lambda: _latest("year")),
    RosterColumn(
        Column(_("最近考核结果"), 12), "latest_grade", lambda: _latest("grade"), labels=lambda: Grade.choices
    ),
)
