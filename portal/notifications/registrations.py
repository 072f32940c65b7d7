"""What the notification centre registers with the other platform apps once the apps are loaded
(NotificationsConfig.ready)."""

from portal.notifications import jobs
from portal.scheduling.jobs import DELIVERY, register_daily_job


def register_daily_jobs() -> None:
    # Last of the day: the e-mails the day's reminders could not send are queued again.
    register_daily_job(jobs.retry_unsent_emails, order=DELIVERY)
