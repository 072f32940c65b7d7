"""Daily jobs of annual reporting and evaluation (SPEC §4): the annual report due in 30/7 days and
overdue, and the triennial evaluation falling due. Each reminder once per milestone and person.
(The revocations of Art. 16 and 17 follow from a grade and happen in the grading transaction.)"""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.models import AnnualReport, Evaluation
from bases.models import FilingState
from bases.selectors import host_users, supervisor_users
from portal.parameters import day_list
from portal.scheduling.reminders import remind

NOT_SUBMITTED = [FilingState.DRAFT, FilingState.RETURNED]


def remind_annual_report_due(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 15: a report not yet submitted, 30/7 days before the due date (parameter) and overdue."""
    thresholds = day_list("annual_report_reminder_days")
    lines = []
    reports = AnnualReport.objects.filter(
        state__in=NOT_SUBMITTED, round__due_on__lte=as_of + timedelta(days=max(thresholds, default=0))
    ).select_related("round", "base__host", "base__supervising_unit")
    for report in reports:
        left = (report.round.due_on - as_of).days
        if left < 0:
            key, title = f"report-overdue:{report.pk}", _("年度报告已逾期：%(name)s")
        else:
            marks = [d for d in thresholds if left <= d]
            if not marks:
                continue
            key, title = f"report-due-{min(marks)}:{report.pk}", _("年度报告即将截止：%(name)s")
        sent = remind(
            recipients=[*host_users(report.base), *supervisor_users(report.base)],
            key=key,
            title=(title, {"name": report.base.name}),
            body=(
                _("%(year)d年度报告的报送截止日期为 %(on)s（第十五条）。"),
                {"year": report.round.year, "on": report.round.due_on.isoformat()},
            ),
            url=reverse("bases:filing", args=["annual-report", report.pk]),
            target=report,
            kind="deadline",
            dry_run=dry_run,
        )
        if sent:
            lines.append(f"提醒年度报告（{report.base.name}）：{key.split(':')[0]}，{sent} 人")
    return lines


def remind_evaluation_due(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 17: a self-evaluation not yet submitted once its base's three years are up."""
    lines = []
    for evaluation in Evaluation.objects.filter(state__in=NOT_SUBMITTED, due_on__lte=as_of).select_related(
        "base__host", "base__supervising_unit"
    ):
        sent = remind(
            recipients=[*host_users(evaluation.base), *supervisor_users(evaluation.base)],
            key=f"evaluation-due:{evaluation.pk}",
            title=(_("三年评估自评报告待提交：%(name)s"), {"name": evaluation.base.name}),
            body=(
                _("该基地已于 %(on)s 运行满三年，请提交自评报告（第十七条）。"),
                {"on": evaluation.due_on.isoformat()},
            ),
            url=reverse("bases:filing", args=["evaluation", evaluation.pk]),
            target=evaluation,
            kind="deadline",
            dry_run=dry_run,
        )
        if sent:
            lines.append(f"提醒三年评估自评（{evaluation.base.name}）：{sent} 人")
    return lines
