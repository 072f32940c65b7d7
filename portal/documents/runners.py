"""What runs a background job of each kind: a registry filled from the apps' AppConfig.ready() (the
documents app's batch issue, the bases app's large roster export), so the platform names no app."""

from collections.abc import Callable

from django.utils import timezone

from portal.documents.models import BackgroundJob

RUNNERS: dict[str, Callable] = {}


def register_job_runner(kind: str, runner: Callable) -> None:
    """`runner(job)` does the work of a job of `kind`, saving its progress as it goes."""
    RUNNERS[kind] = runner


def run_job(job_id: int, *, redelivered: bool = False) -> str:
    """Run a job once. A job already running is left alone, unless its message was delivered again
    because the worker running it died (acks_late): then it resumes, and the runner skips what the
    dead worker finished (a batch never issues a document twice)."""
    job = BackgroundJob.objects.get(pk=job_id)
    running_elsewhere = job.state == BackgroundJob.State.RUNNING and not redelivered
    if job.state == BackgroundJob.State.DONE or running_elsewhere:
        return job.state
    BackgroundJob.objects.filter(pk=job.pk).update(state=BackgroundJob.State.RUNNING)
    try:
        RUNNERS[job.kind](job)
    except Exception as exc:  # recorded for the person who asked; the worker goes on
        BackgroundJob.objects.filter(pk=job.pk).update(
            state=BackgroundJob.State.FAILED,
            errors=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
        return BackgroundJob.State.FAILED
    BackgroundJob.objects.filter(pk=job.pk).update(state=BackgroundJob.State.DONE, finished_at=timezone.now())
    return BackgroundJob.State.DONE
