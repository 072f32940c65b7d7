"""Daily job of the notification centre: queue again every e-mail not delivered yet (the broker was
down, the SMTP server refused), for notifications of the last week."""

from datetime import date, datetime, time, timedelta

from portal.notifications.models import Notification
from portal.notifications.services import enqueue_email, recipients_wanting_email
from portal.workdays import SHANGHAI

RETRY_DAYS = 7


def retry_unsent_emails(*, as_of: date, dry_run: bool = False) -> list[str]:
    since = datetime.combine(as_of - timedelta(days=RETRY_DAYS), time.min, tzinfo=SHANGHAI)
    before = datetime.combine(as_of, time.min, tzinfo=SHANGHAI)
    pending = Notification.objects.filter(
        emailed_at__isnull=True, created_at__gte=since, created_at__lt=before
    ).select_related("recipient")
    wanted = recipients_wanting_email(pending)
    if not dry_run:
        for pk in wanted:
            enqueue_email(pk)
    return [f"重新发送未送达的通知邮件：{len(wanted)} 封"] if wanted else []
