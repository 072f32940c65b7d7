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
    # The candidates as plain values (not model instances): on the day a round's reminder goes out
    # they are every host's report, and on the next run they are all announced already.
    due = []
    for pk, base_id, year, due_on in AnnualReport.objects.filter(
        state__in=NOT_SUBMITTED,
        round__due_on__lte=as_of + timedelta(days=max(thresholds, default=0)),
        round__due_on__gte=as_of - timedelta(days=CATCH_UP_DAYS),
    ).values_list("pk", "base_id", "round__year", "round__due_on"):
        left = (due_on - as_of).days
        if left < 0:
            due.append((pk, base_id, year, due_on, f"report-overdue:{pk}", _("年度报告已逾期：%(name)s")))
            continue
        marks = [d for d in thresholds if left <= d]
        if marks:
            key = f"report-due-{min(marks)}:{pk}"
            due.append((pk, base_id, year, due_on, key, _("年度报告即将截止：%(name)s")))
    due = unannounced(due, lambda item: item[4])
    # The bases' names and people only for the reports still to be reminded.
    bases = PilotBase.objects.only("pk", "name", "status", "host_id", "supervising_unit_id").in_bulk(
        {item[1] for item in due}
    )
    people = people_of_bases(bases.values())
    reminders = []
    for pk, base_id, year, due_on, key, title in due:
        name = bases[base_id].name
        reminders.append(
            Reminder(
                recipients=people[base_id],
                dedup_key=key,
                title=(title, {"name": name}),
                body=(
                    _("%(year)d年度报告的报送截止日期为 %(on)s（第十五条）。"),
                    {"year": year, "on": due_on.isoformat()},
                ),
                url=reverse("bases:filing", args=["annual-report", pk]),
                # the notification names its report by type and id: no need to load the report
                target=AnnualReport(pk=pk, base_id=base_id),
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
