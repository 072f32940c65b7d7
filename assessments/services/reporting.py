"""Annual reporting (Art. 15): who owes the report on a year, and the round the bureau opens for it."""

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import selectors
from assessments.models import AnnualReport, ReportingRound
from assessments.permissions import require_bureau
from assessments.services.common import tell_host
from bases.exceptions import TransitionRefused
from bases.models import PilotBase
from bases.policy import annual_report_due, annual_report_grace_ends
from portal.accounts.models import User
from portal.parameters import get_parameter
from portal.workflow.services import log_creation


def bases_owing_report(year: int) -> QuerySet[PilotBase]:
    """Art. 15: the bases in the roster on 31 December of `year` (one definition, in selectors)."""
    return selectors.bases_owing_report(year)


@transaction.atomic
def round_open(*, actor: User, year: int, today: date | None = None) -> ReportingRound:
    """Open the reporting round for `year`: a draft report for every base that owes one."""
    require_bureau(actor)
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
        tell_host(
            base,
            (gettext_lazy("请报送%(year)d年度报告：%(name)s"), {"year": year, "name": base.name}),
            (
                gettext_lazy("请于 %(on)s 前报送上年度总结报告及当年工作计划（第十五条）。"),
                {"on": report_round.due_on.isoformat()},
            ),
            url=reverse("bases:filing", args=["annual-report", report.pk]),
        )
    return report_round
