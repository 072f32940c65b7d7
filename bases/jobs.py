"""The bases app's daily jobs: the construction clock (Art. 8-4) — task book not filed,
deadline in 90/30/7 days, acceptance window closing in 14/3 days and closed — and the revocation of
a base whose construction period, acceptance window and extension have all run out without a pass."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bases.models import AcceptanceApplication, ExtensionRequest, FilingState, PilotBase, Status
from bases.policy import acceptance_window_closes, construction_clock_closes
from bases.selectors import bureau_users, people_of_bases
from bases.services import base_revoke
from portal.parameters import day_list, get_parameter
from portal.scheduling.reminders import Reminder, remind_all, report, unannounced

# How far back a daily run looks for a reminder it should have sent: a month of missed runs is made
# up by the next one (a longer outage by running each missed day: `manage.py run_daily_jobs --date`).
# Only the rows whose dates fall in that window are read — by the indexes (status, date) — so a day
# with nothing due costs a few index probes, not a pass over every base overdue for years.
CATCH_UP_DAYS = 31
REVOCATION_RULE = "定时任务：建设期满未通过验收（第八条第（四）项）"
# What a reminder reads of a base: its name and dates, and who its people are.
REMINDER_FIELDS = (
    "pk",
    "name",
    "status",
    "approved_on",
    "construction_deadline",
    "host_id",
    "supervising_unit_id",
)
# Filings that are with the county or the bureau: only these hold a base's construction clock.
WITH_REVIEWER = [FilingState.SUBMITTED, FilingState.SUPERVISOR_APPROVED]


def _deadline_reminder(base: PilotBase, recipients, key: str, title, body, line: str) -> Reminder:
    """A reminder of one of a base's dates under the construction clock (Art. 8-4): `title` names the
    base, the message links to its page."""
    return Reminder(
        recipients=recipients,
        dedup_key=key,
        title=(title, {"name": base.name}),
        body=body,
        url=reverse("bases:detail", args=[base.pk]),
        target=base,
        kind="deadline",
        line=line,
    )


def _milestone(days_left: int, thresholds: list[int]) -> int | None:
    """The reminder due with this many days left: the smallest threshold not below it (so a missed
    week still sends the one that applies, and never an earlier one again)."""
    due = [d for d in thresholds if days_left <= d]
    return min(due) if due and days_left >= 0 else None


def remind_task_book_due(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 8-4: an approved base whose task book is still not filed N days (parameter, 30) after the
    approval: its host unit and supervising unit, once."""
    days = get_parameter("task_book_reminder_days")
    bases = unannounced(
        PilotBase.objects.filter(
            status=Status.APPROVED,
            approved_on__lte=as_of - timedelta(days=days),
            approved_on__gte=as_of - timedelta(days=days + CATCH_UP_DAYS),
        ).only(*REMINDER_FIELDS),
        lambda base: f"taskbook-due:{base.pk}",
    )
    people = people_of_bases(bases)
    body = _("该基地已于 %(on)s 批准立项，已超过 %(days)d 天仍未填报建设计划任务书（第八条第（四）项）。")
    reminders = [
        _deadline_reminder(
            base,
            people[base.pk],
            f"taskbook-due:{base.pk}",
            _("请尽快填报建设计划任务书：%(name)s"),
            (body, {"on": base.approved_on.isoformat(), "days": days}),
            f"提醒填报任务书（{base.name}）：{{n}} 人",
        )
        for base in bases
    ]
    return report(remind_all(reminders, dry_run=dry_run))


def remind_construction_deadline(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 8-4: the construction deadline in 90/30/7 days (parameter): host unit and supervisor, once
    per milestone and deadline (an extension moves the deadline and re-arms the reminders)."""
    thresholds = day_list("construction_reminder_days")
    horizon = as_of + timedelta(days=max(thresholds, default=0))
    due = []
    for base in PilotBase.objects.filter(
        status=Status.UNDER_CONSTRUCTION,
        construction_deadline__gte=as_of,
        construction_deadline__lte=horizon,
    ).only(*REMINDER_FIELDS):
        left = (base.construction_deadline - as_of).days
        mark = _milestone(left, thresholds)
        if mark is not None:
            due.append(
                (base, left, mark, f"deadline-{mark}:{base.pk}:{base.construction_deadline.isoformat()}")
            )
    due = unannounced(due, lambda item: item[3])
    people = people_of_bases([base for base, *_rest in due])
    body = _(
        "建设期将于 %(on)s 届满（还有 %(days)d 天）。请在期满后1个月内申请验收；"
        "确有特殊原因的，可在期满前申请延期。"
    )
    reminders = [
        _deadline_reminder(
            base,
            people[base.pk],
            key,
            _("建设期满提醒：%(name)s"),
            (body, {"on": base.construction_deadline.isoformat(), "days": left}),
            f"提醒建设期满（{base.name}，{mark} 天）：{{n}} 人",
        )
        for base, left, mark, key in due
    ]
    return report(remind_all(reminders, dry_run=dry_run))


def _open_acceptance(base_ids) -> set[int]:
    """Bases whose acceptance application is with the county or the bureau: nothing to remind. A
    draft or a returned application is the host's to move, so the host is still reminded."""
    return set(
        AcceptanceApplication.objects.filter(base_id__in=base_ids, state__in=WITH_REVIEWER).values_list(
            "base_id", flat=True
        )
    )


def remind_acceptance_window(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 8-4: the acceptance window (deadline + 1 month) closing in 14/3 days, and closed — for a
    base that has not applied (host unit and supervisor; the bureau too once it closed)."""
    thresholds = day_list("acceptance_window_reminder_days")
    # (a window closes a month after the deadline: a deadline earlier than that and the catch-up
    # window closed before this run's window)
    candidates = list(
        PilotBase.objects.filter(
            status__in=[Status.UNDER_CONSTRUCTION, Status.ACCEPTANCE_FAILED],
            construction_deadline__lt=as_of,
            construction_deadline__gte=as_of - timedelta(days=CATCH_UP_DAYS + 31),
        ).only(*REMINDER_FIELDS)
    )
    pending = _open_acceptance([b.pk for b in candidates])
    due = []
    for base in candidates:
        if base.pk in pending:
            continue
        closes = acceptance_window_closes(base.construction_deadline)
        left = (closes - as_of).days
        if left < 0:
            due.append((base, closes, left, None, f"acceptance-closed:{base.pk}:{closes.isoformat()}"))
            continue
        mark = _milestone(left, thresholds)
        if mark is not None:
            due.append((base, closes, left, mark, f"acceptance-{mark}:{base.pk}:{closes.isoformat()}"))
    due = unannounced(due, lambda item: item[4])
    people = people_of_bases([base for base, *_rest in due])
    bureau = list(bureau_users()) if due else []
    reminders = []
    for base, closes, left, _mark, key in due:
        if left < 0:
            recipients = [*people[base.pk], *bureau]
            title = _("验收申请期限已过：%(name)s")
            body = (_("验收申请期限已于 %(on)s 届满，尚未提出验收申请。"), {"on": closes.isoformat()})
        else:
            recipients = people[base.pk]
            title = _("验收申请即将截止：%(name)s")
            body = (
                _("验收申请须在 %(on)s 前提出（还有 %(days)d 天）。"),
                {"on": closes.isoformat(), "days": left},
            )
        line = f"提醒验收申请期限（{base.name}）：{key.split(':')[0]}，{{n}} 人"
        reminders.append(_deadline_reminder(base, recipients, key, title, body, line))
    return report(remind_all(reminders, dry_run=dry_run))


def revoke_unaccepted_after_extension(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 8-4 "建设期不超过2年 …… 延期后仍未能通过验收的予以撤销": a base still under construction,
    or failed at acceptance without its extension, whose last day to act (bases.policy.
    construction_clock_closes: the acceptance window, the extension after a failure, a returned
    filing's resubmission period) has passed, is revoked.

    Only a filing actually with the county or the bureau holds a base: an acceptance application or
    extension request submitted or approved by the county (a base whose application is under review
    is in acceptance_applied / acceptance_review and is no candidate). A draft or a returned filing
    holds nothing: the host's inaction must not keep a base in limbo. Selected by the indexed
    construction deadline: a base whose deadline is later than today is never read.
    """
    candidates = list(
        PilotBase.objects.filter(
            status__in=[Status.UNDER_CONSTRUCTION, Status.ACCEPTANCE_FAILED], construction_deadline__lt=as_of
        ).only("pk", "name", "status", "construction_deadline", "acceptance_failed_on", "extension_months")
    )
    ids = [b.pk for b in candidates]
    held, returned = set(), {}
    for model in (AcceptanceApplication, ExtensionRequest):
        held.update(
            model.objects.filter(base_id__in=ids, state__in=WITH_REVIEWER).values_list("base_id", flat=True)
        )
        for base_id, returned_on in model.objects.filter(
            base_id__in=ids, state=FilingState.RETURNED, returned_on__isnull=False
        ).values_list("base_id", "returned_on"):
            returned[base_id] = max(returned_on, returned.get(base_id, returned_on))
    months = get_parameter("failed_acceptance_extension_months")
    resubmit_days = get_parameter("returned_filing_resubmit_days")
    lines = []
    for base in candidates:
        if base.pk in held:
            continue
        failed_on = base.acceptance_failed_on if base.status == Status.ACCEPTANCE_FAILED else None
        closes = construction_clock_closes(
            base.construction_deadline,
            failed_on=failed_on,
            returned_on=returned.get(base.pk),
            months_after_failure=months,
            resubmit_days=resubmit_days,
        )
        if closes >= as_of:
            continue
        if not dry_run:
            base_revoke(
                actor=None,
                base=PilotBase.objects.get(pk=base.pk),
                reason_code="construction_not_accepted",
                note=f"建设期（含延期）届满，验收与延期的期限已于 {closes.isoformat()} 届满，未通过验收。",
                actor_label=REVOCATION_RULE,
                today=as_of,
            )
        lines.append(f"撤销（建设期满未通过验收）：{base.name}")
    return lines


def measures_validity_notice(as_of: date) -> str | None:
    """Art. 19: what to tell the bureau about the Measures' validity on ``as_of`` (None: nothing yet).
    The portal keeps applying them after the date; the bureau is to revise or renew them."""
    until = get_parameter("measures_valid_until")
    left = (until - as_of).days
    if left < 0:
        return str(
            _(
                "《市中试基地建设与运行管理办法》有效期已于 %(on)s 届满（第十九条）；"
                "平台继续按该办法运行，请及时修订或延续。"
            )
            % {"on": until.isoformat()}
        )
    if left <= max(day_list("measures_expiry_reminder_days"), default=0):
        return str(
            _(
                "《市中试基地建设与运行管理办法》有效期至 %(on)s（第十九条），"
                "还有 %(days)d 天，请及时修订或延续。"
            )
            % {"on": until.isoformat(), "days": left}
        )
    return None


def remind_measures_expiry(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 19 "有效期五年": tell the bureau 180/90/30 days (parameter) before the Measures expire,
    and once when they have expired; nothing in the portal stops at that date."""
    until = get_parameter("measures_valid_until")
    left = (until - as_of).days
    if left < 0:
        key = f"measures-expired:{until.isoformat()}"
        title = (_("管理办法有效期已届满（%(on)s）"), {"on": until.isoformat()})
    else:
        mark = _milestone(left, day_list("measures_expiry_reminder_days"))
        if mark is None:
            return []
        key = f"measures-{mark}:{until.isoformat()}"
        title = (_("管理办法有效期将于 %(on)s 届满"), {"on": until.isoformat()})
    reminder = Reminder(
        recipients=list(bureau_users()),
        dedup_key=key,
        title=title,
        body=measures_validity_notice(as_of),
        url=reverse("measures"),
        kind="deadline",
        line=f"提醒管理办法有效期（{until.isoformat()}）：{{n}} 人",
    )
    return report(remind_all([reminder], dry_run=dry_run))
