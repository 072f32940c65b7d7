"""Reminders: a notification to each person concerned, at most once per milestone (a dedup key per
recipient), so that a job run twice, or a missed week run day by day, sends nothing twice."""

from collections.abc import Iterable

from portal.notifications.models import Notification
from portal.notifications.services import notify


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
    """Notify everyone in `recipients` not yet reminded of `key` (notify's dedup key does the
    filtering); returns how many were — or, in a dry run, would be — reminded."""
    if not dry_run:
        return len(
            notify(
                recipients=recipients,
                title=title,
                body=body,
                url=url,
                target=target,
                dedup_key=key,
                kind=kind,
            )
        )
    people = {user.pk for user in recipients if user is not None and user.is_active}
    done = Notification.objects.filter(recipient_id__in=people, dedup_key=key).values_list(
        "recipient_id", flat=True
    )
    return len(people - set(done))
