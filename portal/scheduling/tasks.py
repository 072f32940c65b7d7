"""The beat task: the daily jobs as of today (Asia/Shanghai). The schedule is a row of
django-celery-beat's PeriodicTask created by migration 0002 (editable by admins)."""

from celery import shared_task

from portal.scheduling import jobs


@shared_task(name="portal.scheduling.tasks.run_daily_jobs")
def run_daily_jobs() -> dict:
    results = jobs.run_daily_jobs(trigger="beat")
    return {r.name: {"actions": len(r.lines), "error": r.error} for r in results}
