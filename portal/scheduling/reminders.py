"""Reminders: a notification to each person concerned, at most once per milestone (a dedup key per
recipient), so that a job run twice, or a missed week run day by day, sends nothing twice.

A job over 100,000 bases collects its reminders and hands them to remind_all, which is set-based: one
query for who already had which key, one bulk insert, one e-mail dispatch after the commit — not a
round of queries per base (docs/performance.md).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from portal.notifications.models import Notification
from portal.notifications.services import dispatch_emails, in_portal_language

CHUNK = 900  # ids per IN (...) list, within SQLite's limit on parameters


@dataclass
class Reminder:
    """One milestone of one record: who is to hear of it, under which dedup key, and what."""

    key: str
    recipients: list
    title: object
    body: object = ""
    url: str = ""
    target: object = None
    kind: str = "reminder"
    line: str = ""  # the job's report line; "{n}" is replaced by the number reminded
    sent: int = field(default=0, init=False)


def remind_all(reminders: list[Reminder], *, dry_run: bool = False) -> list[Reminder]:
    """Notify, for each reminder, everyone among its active recipients not yet reminded of its key;
    sets each reminder's `sent` (in a dry run: how many would be) and returns those that sent any."""
    people = {u.pk for r in reminders for u in r.recipients if u is not None and u.is_active}
    keys = sorted({r.key for r in reminders})
    done = set()
    for start in range(0, len(keys), CHUNK):
        done.update(
            Notification.objects.filter(
                recipient_id__in=people, dedup_key__in=keys[start : start + CHUNK]
            ).values_list("recipient_id", "dedup_key")
        )
    rows = []
    content_types = {}
    for reminder in reminders:
        fresh = {
            u.pk: u
            for u in reminder.recipients
            if u is not None and u.is_active and (u.pk, reminder.key) not in done
        }
        reminder.sent = len(fresh)
        if dry_run or not fresh:
            continue
        done.update((pk, reminder.key) for pk in fresh)  # two reminders with one key: once
        target = reminder.target
        if target is not None and type(target) not in content_types:
            content_types[type(target)] = ContentType.objects.get_for_model(target)
        title, body = in_portal_language(reminder.title), in_portal_language(reminder.body)
        rows += [
            Notification(
                recipient=user,
                kind=reminder.kind,
                title=title[:200],
                body=body,
                url=reminder.url,
                target_type=content_types[type(target)] if target is not None else None,
                target_id=target.pk if target is not None else None,
                dedup_key=reminder.key,
            )
            for user in fresh.values()
        ]
    if rows:
        ids = [n.pk for n in Notification.objects.bulk_create(rows, batch_size=1000)]
        transaction.on_commit(lambda: dispatch_emails(ids))
    return [r for r in reminders if r.sent]


def remind(
    *,
    recipients: Iterable,
    key: str,
    title,
    body="",
    url: str = "",
    target=None,
    kind: str = "reminder",
    dry_run: bool = False,
) -> int:
    """One reminder (for jobs over a handful of records); returns how many were — or, in a dry run,
    would be — reminded."""
    reminder = Reminder(
        key=key, recipients=list(recipients), title=title, body=body, url=url, target=target, kind=kind
    )
    remind_all([reminder], dry_run=dry_run)
    return reminder.sent


def report(reminders: list[Reminder]) -> list[str]:
    """The job's report lines of the reminders that sent something."""
    return [r.line.replace("{n}", str(r.sent)) for r in reminders]
