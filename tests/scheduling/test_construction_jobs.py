"""The construction clock runs itself (Art. 8-4): deadline reminders at
90/30/7 days, the acceptance window closing in 14/3 days and closed, and the revocation of a base
whose extension was used and whose window closed without a pass — never one with an application
pending. Simulated day by day; each reminder once; running a day twice changes nothing."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django_fsm_log.models import StateLog

from bases.models import AcceptanceApplication, Status
from portal.notifications.models import Notification
from portal.scheduling.jobs import run_daily_jobs
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def test_a_construction_period_simulated_day_by_day(people):
    plain = PilotBaseFactory(
        host=people.host_a,
        under_construction=True,
        approved_on=date(2024, 6, 30),
        construction_deadline=date(2026, 6, 30),
    )
    extended = PilotBaseFactory(
        host=people.host_b,
        under_construction=True,
        approved_on=date(2023, 5, 31),
        construction_deadline=date(2026, 5, 31),
        extension_months=12,
    )
    pending = PilotBaseFactory(
        host=people.host_b,
        under_construction=True,
        approved_on=date(2023, 5, 31),
        construction_deadline=date(2026, 5, 31),
        extension_months=12,
    )
    AcceptanceApplication.objects.create(  # with the county: it holds the base (Art. 8-4)
        base=pending, created_by=people.staff_b, summary="s", outputs="o", fund_usage="f", state="submitted"
    )

    day = date(2026, 3, 1)
    while day <= date(2026, 12, 31):
        run_daily_jobs(as_of=day)
        if day == date(2026, 7, 1):  # the revocation day, run twice
            before = (Notification.objects.count(), StateLog.objects.count())
            run_daily_jobs(as_of=day)
            assert (Notification.objects.count(), StateLog.objects.count()) == before
        day += timedelta(days=1)

    plain.refresh_from_db()
    extended.refresh_from_db()
    pending.refresh_from_db()
    # no extension requested before the deadline and no acceptance in the window (closed 2026-07-30):
    # the base can be neither accepted nor extended any more (Art. 8-4)
    assert plain.status == Status.REVOKED and plain.revoked_on == date(2026, 7, 31)
    assert pending.status == Status.UNDER_CONSTRUCTION  # its acceptance application is with the county
    assert extended.status == Status.REVOKED and extended.revoked_on == date(2026, 7, 1)
    revocation = StateLog.objects.for_(extended).get(state=Status.REVOKED)
    assert revocation.by is None and "建设期满未通过验收" in revocation.record.actor_label

    about_plain = Counter(
        (n.dedup_key.split(":")[0], n.recipient.username)
        for n in Notification.objects.filter(dedup_key__endswith=f":{plain.pk}:{plain.construction_deadline}")
        | Notification.objects.filter(dedup_key__contains=f":{plain.pk}:2026-07-30")
    )
    host_side = [people.staff_a.username, people.approver_a.username, people.supervisor_a.username]
    expected = {(kind, who): 1 for kind in ("deadline-90", "deadline-30", "deadline-7") for who in host_side}
    expected |= {(kind, who): 1 for kind in ("acceptance-14", "acceptance-3") for who in host_side}
    # revoked the day after the window closed, before the "window closed" reminder would go out
    assert dict(about_plain) == expected
    # the pending base: deadline reminders only up to its deadline; none about the window
    assert not Notification.objects.filter(
        dedup_key__startswith="acceptance-", dedup_key__contains=f":{pending.pk}:"
    )


def test_an_extension_moves_the_deadline_and_re_arms_the_reminders(people):
    base = PilotBaseFactory(
        host=people.host_a,
        under_construction=True,
        approved_on=date(2024, 6, 30),
        construction_deadline=date(2026, 6, 30),
    )
    run_daily_jobs(as_of=date(2026, 6, 25))
    assert Notification.objects.filter(dedup_key__startswith="deadline-7:").count() == 3
    base.construction_deadline, base.extension_months = date(2026, 12, 30), 6
    base.save()
    run_daily_jobs(as_of=date(2026, 12, 25))
    assert Notification.objects.filter(dedup_key__startswith="deadline-7:").count() == 6


def test_annual_report_reminders_30_and_7_days_and_overdue_once(people):
    from assessments.services.reporting import round_open

    PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2024, 5, 1))
    round_open(actor=people.bureau, year=2025, today=date(2026, 1, 2))  # due 2026-01-31
    Notification.objects.all().delete()
    day = date(2026, 1, 1)
    while day <= date(2026, 2, 28):
        run_daily_jobs(as_of=day)
        day += timedelta(days=1)
    sent = Counter(n.dedup_key.split(":")[0] for n in Notification.objects.filter(recipient=people.staff_a))
    assert sent == {"report-due-30": 1, "report-due-7": 1, "report-overdue": 1}
