"""What assessments registers with the layers below it once the apps are loaded (AssessmentsConfig.ready),
so they serve it without naming it. One function per concern."""

from assessments import jobs
from portal.scheduling.jobs import REMINDERS, register_daily_job


def register_daily_jobs() -> None:
    register_daily_job(jobs.remind_annual_report_due, order=REMINDERS + 20)
    register_daily_job(jobs.remind_evaluation_due, order=REMINDERS + 21)
