"""Create notifications and schedule their e-mail after the transaction commits."""

import logging
from collections.abc import Iterable

from django.db import models, transaction

from portal.notifications.models import Notification

logger = logging.getLogger(__name__)


def in_portal_language(text) -> str:
    """Notifications are written in the portal's language (Chinese), whatever language the person
    who acted was browsing in: `text` is a plain string (e.g. their comment), a lazy message, or a
    (lazy message, parameters) pair."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(text, tuple):
            message, params = text
            return str(message) % params
        return str(text)


def notify(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    target: models.Model | None = None,
    dedup_key: str = "",
    kind: str = "workflow",
) -> list[Notification]:
    """One notification per distinct active recipient; with a dedup_key, never twice to the same person.

    title and body may be plain strings, lazy messages or (lazy message, parameters) pairs: they are
    written in the portal's language whoever acted (in_portal_language)."""
    title, body = in_portal_language(title), in_portal_language(body)
    from django.contrib.contenttypes.models import ContentType

    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if dedup_key:
        already = set(
            Notification.objects.filter(recipient_id__in=people, dedup_key=dedup_key).values_list(
                "recipient_id", flat=True
            )
        )
        people = {pk: u for pk, u in people.items() if pk not in already}
    if not people:
        return []
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                title=title[:200],
                body=body,
                url=url,
                target_type=target_type,
                target_id=target.pk if target is not None else None,
                dedup_key=dedup_key,
            )
            for user in people.values()
        ]
    )
    ids = [n.pk for n in rows]  # PostgreSQL and SQLite both return the new keys
    transaction.on_commit(lambda: dispatch_emails(ids))
    return rows


def recipients_wanting_email(notifications) -> list[int]:
    """The ids of those notifications whose recipient has an address and wants that kind by e-mail."""
    from portal.notifications.models import ALWAYS_EMAILED, EmailPreference

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
    from portal.notifications.tasks import deliver_notification_email

    try:
        deliver_notification_email.delay(pk)
    except Exception:  # kombu's OperationalError, a refused connection, a timeout …
        logger.warning("broker unreachable: e-mail of notification %s sent in-process", pk, exc_info=True)
        try:
            deliver_notification_email.run(pk)
        except Exception:
            logger.exception("e-mail of notification %s failed; the daily job will retry it", pk)


def email_preferences_for(user) -> dict[str, bool]:
    from portal.notifications.models import ALWAYS_EMAILED, EmailPreference, NotificationKind

    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: kind in ALWAYS_EMAILED or chosen.get(kind, True) for kind in NotificationKind.values}


def email_preferences_set(*, user, enabled: dict[str, bool]) -> None:
    """Save a person's e-mail choices; deadline warnings stay on whatever is asked."""
    from portal.notifications.models import ALWAYS_EMAILED, EmailPreference, NotificationKind

    for kind in NotificationKind.values:
        if kind in ALWAYS_EMAILED:
            continue
        EmailPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"enabled": bool(enabled.get(kind))}
        )


def notification_mark_read(*, user, notification_id: int) -> None:
    from django.utils import timezone

    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user) -> int:
    from django.utils import timezone

    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
