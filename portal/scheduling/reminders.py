"""Reminders: a notification to each person concerned, at most once per milestone (a dedup key per
recipient), so that a job run twice, or a missed week run day by day, sends nothing twice.

A job over 100,000 bases collects its reminders and hands them to remind_all, which is the
notifications' set-based notify_all: one query for who already had which key, one bulk insert, one
e-mail dispatch after the commit — not a round of queries per base (docs/performance.md).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from portal.notifications.models import Notification
from portal.notifications.services import CHUNK, Message, notify_all

T = TypeVar("T")


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


def announced(keys: Iterable[str]) -> set[str]:
    """The dedup keys among these of which someone has already been told: one indexed query per
    CHUNK keys (the index on the key alone)."""
    keys = sorted({k for k in keys if k})
    told = set()
    for start in range(0, len(keys), CHUNK):
        told.update(
            Notification.objects.filter(dedup_key__in=keys[start : start + CHUNK])
            .order_by()
            .values_list("dedup_key", flat=True)
            .distinct()
        )
    return told


def unannounced(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """The items whose milestone (key(item)) nobody has been told of yet. A job selects these before
    it reads anyone's people or writes anything, so a day whose milestones were all announced (the
    same day run again, or a quiet day after a missed one) costs the candidates' dates and one probe
    per CHUNK keys. A milestone is announced once: a person who joins a unit later finds the matter
    on the workspace's to-do list, not in a late reminder."""
    items = list(items)
    told = announced(key(item) for item in items)
    return [item for item in items if key(item) not in told]
