"""Background work of the documents app: batches of documents and large exports. Tasks take the job's
id; progress is saved as they go so the page can show it."""

from celery import shared_task


@shared_task
def run_background_job(job_id: int) -> str:
    from portal.documents.jobs import run_job

    return run_job(job_id)
