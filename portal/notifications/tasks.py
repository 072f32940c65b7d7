"""E-mail delivery of notifications: takes an id, retries with back-off, never sends twice."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.notifications.models import Notification


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def deliver_notification_email(notification_id: int) -> bool:
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if n is None or not n.recipient.email:
            return False
        link = f"\n\n{settings.PORTAL_BASE_URL}{n.url}" if n.url else ""
        send_mail(
            subject=f"【忻州市中试基地管理平台】{n.title}",
            message=f"{n.body}{link}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[n.recipient.email],
        )
        n.emailed_at = timezone.now()
        n.save(update_fields=["emailed_at"])
    return True
