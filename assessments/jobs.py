"""Daily jobs of annual reporting and evaluation: the annual report due in 30/7 days and
overdue, and the triennial evaluation falling due. Each reminder once per milestone and person.
(The revocations of Art. 16 and 17 follow from a grade and happen in the grading transaction.)"""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.models import AnnualReport, Evaluation
from bases.jobs import CATCH_UP_DAYS
from bases.models import FilingState, PilotBase
from bases.selectors import people_of_bases
from portal.parameters import day_list
from portal.scheduling.reminders import Reminder, remind_all, report, unannounced

NOT_SUBMITTED = [FilingState.DRAFT, FilingState.RETURNED]


def remind_annual_report_due(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 15: a report not yet submitted, 30/7 days before the due date (parameter) and overdue."""
    thresholds = day_list("annual_report_reminder_days")
    # Only the reports whose milestone can fall in this run: due within the thresholds, or overdue
    # within the catch-up window (bases.jobs.CATCH_UP_DAYS; an older one was reminded already).
    due = []
    for filing in (
        AnnualReport.objects.filter(
            state__in=NOT_SUBMITTED,
            round__due_on__lte=as_of + timedelta(days=max(thresholds, default=0)),
            round__due_on__gte=as_of - timedelta(days=CATCH_UP_DAYS),
        )
        .only("pk", "state", "base_id", "round__year", "round__due_on")
        .select_related("round")
    ):
        left = (filing.round.due_on - as_of).days
        if left < 0:
            due.append((filing, f"report-overdue:{filing.pk}", _("年度报告已逾期：%(name)s")))
            continue
        marks = [d for d in thresholds if left <= d]
        if marks:
            due.append((filing, f"report-due-{min(marks)}:{filing.pk}", _("年度报告即将截止：%(name)s")))
    due = unannounced(due, lambda item: item[1])
    # The bases' names and people only for the reports still to be reminded.
    bases = PilotBase.objects.only("pk", "name", "host_id", "supervising_unit_id").in_bulk(
        {filing.base_id for filing, _key, _title in due}
    )
    people = people_of_bases(bases.values())
    reminders = []
    for filing, key, title in due:
        name = bases[filing.base_id].name
        reminders.append(
            Reminder(
                recipients=people[filing.base_id],
                dedup_key=key,
                title=(title, {"name": name}),
                body=(
                    _("%(year)d年度报告的报送截止日期为 %(on)s（第十五条）。"),
                    {"year": filing.round.year, "on": filing.round.due_on.isoformat()},
                ),
                url=reverse("bases:filing", args=["annual-report", filing.pk]),
                target=filing,
                kind="deadline",
                line=f"提醒年度报告（{name}）：{key.split(':')[0]}，{{n}} 人",
            )
        )
    return report(remind_all(reminders, dry_run=dry_run))


def remind_evaluation_due(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 17: a self-evaluation not yet submitted once its base's three years are up."""
    evaluations = unannounced(
        Evaluation.objects.filter(
            state__in=NOT_SUBMITTED, due_on__lte=as_of, due_on__gte=as_of - timedelta(days=CATCH_UP_DAYS)
        ).select_related("base"),
        lambda evaluation: f"evaluation-due:{evaluation.pk}",
    )
    people = people_of_bases({e.base for e in evaluations})
    reminders = [
        Reminder(
            recipients=people[evaluation.base_id],
            dedup_key=f"evaluation-due:{evaluation.pk}",
            title=(_("三年评估自评报告待提交：%(name)s"), {"name": evaluation.base.name}),
            body=(
                _("该基地已于 %(on)s 运行满三年，请提交自评报告（第十七条）。"),
                {"on": evaluation.due_on.isoformat()},
            ),
            url=reverse("bases:filing", args=["evaluation", evaluation.pk]),
            target=evaluation,
            kind="deadline",
            line=f"提醒三年评估自评（{evaluation.base.name}）：{{n}} 人",
        )
        for evaluation in evaluations
    ]
    return report(remind_all(reminders, dry_run=dry_run))
