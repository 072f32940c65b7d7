"""The bases app's daily jobs (SPEC §4). The task book, construction, acceptance and revocation
rules of issues [D] and [E] join here as those records are built."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bases.models import PilotBase, Status
from bases.selectors import host_users, supervisor_users
from portal.parameters import get_parameter
from portal.scheduling.reminders import remind


def remind_task_book_due(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 8-4: an approved base whose task book is still not filed N days (parameter, 30) after the
    approval: its host unit and supervising unit, once."""
    days = get_parameter("task_book_reminder_days")
    lines = []
    bases = PilotBase.objects.filter(status=Status.APPROVED, approved_on__lte=as_of - timedelta(days=days))
    for base in bases.select_related("host", "supervising_unit"):
        sent = remind(
            recipients=[*host_users(base), *supervisor_users(base)],
            key=f"taskbook-due:{base.pk}",
            title=(_("请尽快填报建设计划任务书：%(name)s"), {"name": base.name}),
            body=(
                _(
                    "该基地已于 %(on)s 批准立项，已超过 %(days)d 天仍未填报建设计划任务书"
                    "（第八条第（四）项）。"
                ),
                {"on": base.approved_on.isoformat(), "days": days},
            ),
            url=reverse("bases:detail", args=[base.pk]),
            target=base,
            kind="deadline",
            dry_run=dry_run,
        )
        if sent:
            lines.append(f"提醒填报任务书（{base.name}）：{sent} 人")
    return lines
