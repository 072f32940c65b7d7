"""The daily jobs: one runner for the beat task, the management command and the
operations view. Each job is a function job(as_of, dry_run) -> list of lines (one per action); each
is idempotent, so running a day twice, or each day of a missed week, changes nothing twice.

The jobs of each app live in that app's jobs.py and are listed in DAILY_JOBS in the order they run
(automatic actions before the reminders that depend on them). The revocations of Art. 16 and 17
follow from a grade and happen in the grading transaction (assessments.services).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.scheduling.models import JobRun

DAILY_JOBS = [
    "reviews.jobs.close_ended_notices",
    "bases.jobs.revoke_unaccepted_after_extension",
    "reviews.jobs.remind_notice_ending",
    "reviews.jobs.remind_objections_waiting",
    "reviews.jobs.remind_scoring_due",
    "bases.jobs.remind_task_book_due",
    "bases.jobs.remind_construction_deadline",
    "bases.jobs.remind_acceptance_window",
    "assessments.jobs.remind_annual_report_due",
    "assessments.jobs.remind_evaluation_due",
    "bases.jobs.remind_measures_expiry",
    "portal.notifications.jobs.retry_unsent_emails",
]


@dataclass
class JobResult:
    name: str
    lines: list[str] = field(default_factory=list)
    error: str = ""


def jobs() -> list[tuple[str, Callable]]:
    return [(path.rsplit(".", 1)[-1], import_string(path)) for path in DAILY_JOBS]


def run_daily_jobs(
    *, as_of: date | None = None, dry_run: bool = False, trigger: str = "command"
) -> list[JobResult]:
    """Run every daily job as of a date (default: today in Asia/Shanghai). A job that fails is rolled
    back and recorded; the others still run."""
    as_of = as_of or timezone.localdate()
    results = []
    for name, job in jobs():
        run = JobRun.objects.create(job=name, as_of=as_of, trigger=trigger, dry_run=dry_run)
        result = JobResult(name)
        try:
            with transaction.atomic():
                result.lines = list(job(as_of=as_of, dry_run=dry_run))
                if dry_run:
                    transaction.set_rollback(True)
        except Exception as exc:  # recorded for the operations view; the next job still runs
            result.error = f"{type(exc).__name__}: {exc}"
        run.actions = len(result.lines)
        run.summary = "\n".join(result.lines)[:20000]
        run.error = result.error
        run.finished_at = timezone.now()
        run.save(update_fields=["actions", "summary", "error", "finished_at"])
        results.append(result)
    return results
