"""Create notifications and schedule their e-mail after the transaction commits."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation

from portal.notifications.models import ALWAYS_EMAILED, EmailPreference, Notification, NotificationKind
from portal.notifications.tasks import deliver_notification_email

logger = logging.getLogger(__name__)


def in_portal_language(text) -> str:
    """Notifications are written in the portal's language (Chinese), whatever language the person
    who acted was browsing in: `text` is a plain string (e.g. their comment), a lazy message, or a
    (lazy message, parameters) pair."""
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(text, tuple):
            message, params = text
            return str(message) % params
        return str(text)


@dataclass
class Message:
    """One notification to a group of people. title and body may be plain strings, lazy messages or
    (lazy message, parameters) pairs: they are written in the portal's language whoever acted
    (in_portal_language). With a dedup_key, nobody gets it twice."""

    recipients: list
    title: object
    body: object = ""
    url: str = ""
    target: models.Model | None = None
    dedup_key: str = ""
    kind: str = "workflow"
    rows: list = field(default_factory=list, init=False)  # the notifications written
    reached: int = field(default=0, init=False)  # how many people got (in a dry run: would get) it


CHUNK = 900  # keys per IN (...) list, within SQLite's limit on parameters


def notify_all(messages: list[Message], *, dry_run: bool = False) -> list[Message]:
    """Set-based, for one message or a daily job's thousands: one query for who already had which
    dedup key, one bulk insert, one e-mail dispatch after the commit. Each message gets one
    notification per distinct active recipient not yet notified of its key; sets `rows` and
    `reached`, and returns the messages that reached someone."""
    people = {u.pk for m in messages for u in m.recipients if u is not None and u.is_active}
    keys = sorted({m.dedup_key for m in messages if m.dedup_key})
    done = set()
    for start in range(0, len(keys), CHUNK):
        done.update(
            Notification.objects.filter(
                recipient_id__in=people, dedup_key__in=keys[start : start + CHUNK]
            ).values_list("recipient_id", "dedup_key")
        )
    pending = []
    for message in messages:
        fresh = {
            u.pk: u
            for u in message.recipients
            if u is not None and u.is_active and (u.pk, message.dedup_key) not in done
        }
        message.reached = len(fresh)
        if message.dedup_key:
            done.update((pk, message.dedup_key) for pk in fresh)  # two messages with one key: once
        if dry_run or not fresh:
            continue
        target = message.target
        title, body = in_portal_language(message.title), in_portal_language(message.body)
        message.rows = [
            Notification(
                recipient=user,
                kind=message.kind,
                title=title[:200],
                body=body,
                url=message.url,
                target_type=ContentType.objects.get_for_model(target) if target is not None else None,
                target_id=target.pk if target is not None else None,
                dedup_key=message.dedup_key,
            )
            for user in fresh.values()
        ]
        pending += message.rows
    if pending:
        # PostgreSQL and SQLite both return the new keys (set on the same objects).
        ids = [n.pk for n in Notification.objects.bulk_create(pending, batch_size=1000)]
        transaction.on_commit(lambda: dispatch_emails(ids))
    return [m for m in messages if m.reached]


def notify(
    *,
    recipients: Iterable,
    title,
    body="",
    url: str = "",
    target: models.Model | None = None,
    dedup_key: str = "",
    kind: str = "workflow",
) -> list[Notification]:
    """One notification per distinct active recipient; with a dedup_key, never twice to the same person."""
    message = Message(
        recipients=list(recipients),
        title=title,
        body=body,
        url=url,
        target=target,
        dedup_key=dedup_key,
        kind=kind,
    )
    notify_all([message])
    return message.rows


def recipients_wanting_email(notifications) -> list[int]:
    """The ids of those notifications whose recipient has an address and wants that kind by e-mail."""
    rows = list(notifications)
    off = set(
        EmailPreference.objects.filter(user_id__in={n.recipient_id for n in rows}, enabled=False).values_list(
            "user_id", "kind"
        )
    )
    return [
        n.pk
        for n in rows
        if n.recipient.email and (n.kind in ALWAYS_EMAILED or (n.recipient_id, n.kind) not in off)
    ]


def dispatch_emails(ids: list[int]) -> None:
    """Queue the e-mails of these new notifications (those whose recipients want them), 900 ids a
    query so that a daily job's thousands stay within SQLite's parameter limit."""
    for start in range(0, len(ids), 900):
        chunk = Notification.objects.filter(pk__in=ids[start : start + 900]).select_related("recipient")
        for pk in recipients_wanting_email(chunk):
            enqueue_email(pk)


def enqueue_email(pk: int) -> None:
    """Queue the e-mail of a notification; when the broker cannot be reached, send it in-process now
    (and if that fails too, the daily job retries every unsent e-mail: nothing is lost)."""
    try:
        deliver_notification_email.delay(pk)
    except Exception:  # kombu's OperationalError, a refused connection, a timeout …
        logger.warning("broker unreachable: e-mail of notification %s sent in-process", pk, exc_info=True)
        try:
            deliver_notification_email.run(pk)
        except Exception:
            logger.exception("e-mail of notification %s failed; the daily job will retry it", pk)


def email_preferences_for(user) -> dict[str, bool]:
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: kind in ALWAYS_EMAILED or chosen.get(kind, True) for kind in NotificationKind.values}


def email_preferences_set(*, user, enabled: dict[str, bool]) -> None:
    """Save a person's e-mail choices; deadline warnings stay on whatever is asked."""
    for kind in NotificationKind.values:
        if kind in ALWAYS_EMAILED:
            continue
        EmailPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"enabled": bool(enabled.get(kind))}
        )


def notification_mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
