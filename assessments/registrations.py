"""What assessments registers with the platform's registries, so the platform serves it without naming
it; called once from AssessmentsConfig.ready(). One function per concern."""

from assessments import jobs
from portal.scheduling.jobs import REMINDERS, register_daily_job


def daily_jobs() -> None:
    register_daily_job(jobs.remind_annual_report_due, order=REMINDERS + 20)
    register_daily_job(jobs.remind_evaluation_due, order=REMINDERS + 21)


def register() -> None:
    daily_jobs()
