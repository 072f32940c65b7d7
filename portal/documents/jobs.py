"""Background jobs: issue a document for every eligible subject of a kind, or export a
large roster, in the worker, saving progress as they go. A failed item is recorded and the batch
goes on; each document is issued in its own transaction."""

import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.documents.models import BackgroundJob

RUNNERS = {
    "document_batch": "bases.documents.run_batch",
    "roster_export": "bases.exports.run_roster_export",
}


def job_start(*, kind: str, title: str, params: dict, actor, total: int = 0) -> BackgroundJob:
    """Record a job and queue it once the caller's transaction commits."""
    from portal.documents.tasks import run_background_job

    job = BackgroundJob.objects.create(kind=kind, title=title, params=params, requested_by=actor, total=total)
    transaction.on_commit(lambda: _enqueue(run_background_job, job.pk))
    return job


def _enqueue(task, job_id):
    try:
        task.delay(job_id)
    except Exception:  # no broker: run it here rather than lose it
        task.run(job_id)


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
        import_string(RUNNERS[job.kind])(job)
    except Exception as exc:  # recorded for the person who asked; the worker goes on
        BackgroundJob.objects.filter(pk=job.pk).update(
            state=BackgroundJob.State.FAILED,
            errors=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
        return BackgroundJob.State.FAILED
    BackgroundJob.objects.filter(pk=job.pk).update(state=BackgroundJob.State.DONE, finished_at=timezone.now())
    return BackgroundJob.State.DONE


def progress(job: BackgroundJob, done: int) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(done=done)


def attach_file(job: BackgroundJob, name: str, writer) -> None:
    """Write the job's result with `writer(handle)` to a temporary file and store it on the job."""
    with tempfile.TemporaryFile() as handle:
        writer(handle)
        handle.seek(0)
        job.file.save(name, File(handle), save=False)
    BackgroundJob.objects.filter(pk=job.pk).update(file=job.file.name)
