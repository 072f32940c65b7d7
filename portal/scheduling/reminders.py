"""Reminders: a notification to each person concerned, at most once per milestone (a dedup key per
recipient), so that a job run twice, or a missed week run day by day, sends nothing twice.

A job over 100,000 bases collects its reminders and hands them to remind_all, which is the
notifications' set-based notify_all: one query for who already had which key, one bulk insert, one
e-mail dispatch after the commit — not a round of queries per base (docs/performance.md).
"""

from dataclasses import dataclass

from portal.notifications.services import Message, notify_all


@dataclass
class Reminder(Message):
    """One milestone of one record: who is to hear of it, under which dedup key, and what."""

    kind: str = "reminder"
    line: str = ""  # the job's report line; "{n}" is replaced by the number reminded


def remind_all(reminders: list[Reminder], *, dry_run: bool = False) -> list[Reminder]:
    """Notify, for each reminder, everyone among its active recipients not yet reminded of its key;
    returns those that reached someone (in a dry run: would reach)."""
    return notify_all(reminders, dry_run=dry_run)


def report(reminders: list[Reminder]) -> list[str]:
    """The job's report lines of the reminders that reached someone."""
    return [r.line.replace("{n}", str(r.reached)) for r in reminders]
