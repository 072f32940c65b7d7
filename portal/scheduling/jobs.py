"""The daily jobs: one runner for the beat task, the management command and the
operations view. Each job is a function job(as_of, dry_run) -> list of lines (one per action); each
is idempotent, so running a day twice, or each day of a missed week, changes nothing twice.

The jobs of each app live in that app's jobs.py; the app registers them here from its
AppConfig.ready() (register_daily_job), so the platform runs them without naming the apps above it.
The revocations of Art. 16 and 17 follow from a grade and happen in the grading transaction
(assessments.services).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from portal.scheduling.models import JobRun

# Where a job runs in the day: the automatic actions first (a notice closed at the end of its period,
# Art. 8-3; a base revoked, Art. 8-4), since the reminders read the states they leave; then the
# reminders; last the retry of the e-mails not delivered, which takes the day's reminders along.
ACTIONS = 100
REMINDERS = 200
DELIVERY = 900


@dataclass
class DailyJob:
    name: str  # the function's name: the job's name in JobRun and in the command's output
    run: Callable[..., list[str]]
    order: int


# The registered jobs by name, in the order they run (kept sorted by register_daily_job).
DAILY_JOBS: dict[str, DailyJob] = {}


def register_daily_job(job: Callable[..., list[str]], *, order: int) -> None:
    """Run `job` every day, at its `order` among the others (ACTIONS, REMINDERS or DELIVERY plus a
    step). Registering the same function again changes nothing; another function of the same name is
    refused, since the runs are recorded by name."""
    name = job.__name__
    known = DAILY_JOBS.get(name)
    if known is not None and known.run is not job:
        raise ValueError(f"a daily job named {name} is registered already")
    jobs = {**DAILY_JOBS, name: DailyJob(name, job, order)}
    DAILY_JOBS.clear()
    DAILY_JOBS.update(sorted(jobs.items(), key=lambda item: (item[1].order, item[0])))


@dataclass
class JobResult:
    name: str
    lines: list[str] = field(default_factory=list)
    error: str = ""


def run_daily_jobs(
    *, as_of: date | None = None, dry_run: bool = False, trigger: str = "command"
) -> list[JobResult]:
    """Run every daily job as of a date (default: today in Asia/Shanghai). A job that fails is rolled
    back and recorded; the others still run."""
    as_of = as_of or timezone.localdate()
    results = []
    for job in list(DAILY_JOBS.values()):
        run = JobRun.objects.create(job=job.name, as_of=as_of, trigger=trigger, dry_run=dry_run)
        result = JobResult(job.name)
        try:
            with transaction.atomic():
                result.lines = list(job.run(as_of=as_of, dry_run=dry_run))
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
