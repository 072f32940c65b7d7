"""Create notifications and schedule their e-mail after the transaction commits."""

from collections.abc import Iterable

from django.db import models, transaction

from portal.notifications.models import Notification


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
) -> list[Notification]:
    """One notification per distinct active recipient; with a dedup_key, never twice to the same person."""
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
    transaction.on_commit(lambda: _dispatch_emails(ids))
    return rows


def _dispatch_emails(ids: list[int]) -> None:
    from portal.notifications.tasks import deliver_notification_email

    for pk in ids:
        deliver_notification_email.delay(pk)


def notification_mark_read(*, user, notification_id: int) -> None:
    from django.utils import timezone

    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user) -> int:
    from django.utils import timezone

    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
