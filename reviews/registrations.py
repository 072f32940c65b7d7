"""What reviews registers with the platform's registries once the apps are loaded (ReviewsConfig.ready),
so the platform serves it without naming it. One function per concern."""

from portal.scheduling.jobs import ACTIONS, REMINDERS, register_daily_job
from reviews import jobs


def register_daily_jobs() -> None:
    # Art. 8-3: a notice whose period ended is closed first of the day, before any reminder.
    register_daily_job(jobs.close_ended_notices, order=ACTIONS)
    register_daily_job(jobs.remind_notice_ending, order=REMINDERS)
    register_daily_job(jobs.remind_objections_waiting, order=REMINDERS + 1)
    register_daily_job(jobs.remind_scoring_due, order=REMINDERS + 2)
