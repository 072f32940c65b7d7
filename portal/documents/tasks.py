"""Background work of the documents app: batches of documents and large exports. Tasks take the job's
id; progress is saved as they go so the page can show it."""

from celery import shared_task

from portal.documents.runners import run_job


@shared_task(bind=True)
def run_background_job(self, job_id: int) -> str:
    """Acknowledged only when done (CELERY_TASK_ACKS_LATE): after a worker died mid-job, the message
    comes back marked redelivered and the job resumes where it stopped."""
    delivery = self.request.delivery_info or {}
    return run_job(job_id, redelivered=bool(delivery.get("redelivered")))
