"""Background jobs: issue a document for every eligible subject of a kind, or export a
large roster, in the worker, saving progress as they go. A failed item is recorded and the batch
goes on; each document is issued in its own transaction. What runs a job of each kind is
registered in portal.documents.runners."""

import tempfile

from django.core.files import File
from django.db import transaction

from portal.documents.models import BackgroundJob
from portal.documents.tasks import run_background_job


def job_start(*, kind: str, title: str, params: dict, actor, total: int = 0) -> BackgroundJob:
    """Record a job and queue it once the caller's transaction commits."""
    job = BackgroundJob.objects.create(kind=kind, title=title, params=params, requested_by=actor, total=total)
    transaction.on_commit(lambda: _enqueue(run_background_job, job.pk))
    return job


def _enqueue(task, job_id):
    try:
        task.delay(job_id)
    except Exception:  # no broker: run it here rather than lose it
        task.run(job_id)


def progress(job: BackgroundJob, done: int) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(done=done)


def attach_file(job: BackgroundJob, name: str, writer) -> None:
    """Write the job's result with `writer(handle)` to a temporary file and store it on the job."""
    with tempfile.TemporaryFile() as handle:
        writer(handle)
        handle.seek(0)
        job.file.save(name, File(handle), save=False)
    BackgroundJob.objects.filter(pk=job.pk).update(file=job.file.name)
