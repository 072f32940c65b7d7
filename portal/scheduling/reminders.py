"""Reminders: a notification to each person concerned, at most once per milestone (a dedup key per
recipient), so that a job run twice, or a missed week run day by day, sends nothing twice."""

from collections.abc import Iterable

from portal.notifications.models import Notification
from portal.notifications.services import in_portal_language, notify


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
    """Notify everyone in `recipients` not yet reminded of `key`; returns how many were (or would be)."""
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return 0
    done = set(
        Notification.objects.filter(recipient_id__in=people, dedup_key=key).values_list(
            "recipient_id", flat=True
        )
    )
    due = [user for pk, user in people.items() if pk not in done]
    if dry_run or not due:
        return len(due)
    return len(
        notify(
            recipients=due,
            title=in_portal_language(title),
            body=in_portal_language(body),
            url=url,
            target=target,
            dedup_key=key,
            kind=kind,
        )
    )
