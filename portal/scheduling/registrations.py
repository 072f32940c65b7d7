"""The platform's own daily job, registered once the apps are loaded (SchedulingConfig.ready).

The notification centre's e-mail retry runs last of the day (DELIVERY). The scheduler registers it
rather than the notification centre registering itself, because the scheduler already stands on the
notifications (its reminders notify): the two apps then lean one way only."""

from portal.notifications import jobs as notification_jobs
from portal.scheduling.jobs import DELIVERY, register_daily_job


def register_daily_jobs() -> None:
    # Last of the day: the e-mails the day's reminders could not send are queued again.
    register_daily_job(notification_jobs.retry_unsent_emails, order=DELIVERY)
