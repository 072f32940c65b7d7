"""The calendar runs itself: run_daily_jobs as of any date, reminders at most once
per milestone, notices closed by the scheduled rule, and a year simulated day by day."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django_fsm_log.models import StateLog

from bases.models import Status
from portal.notifications.models import Notification
from portal.scheduling.jobs import DAILY_JOBS, run_daily_jobs
from portal.scheduling.models import JobRun
from reviews.models import Panel, PanelBase, PanelDraw, PanelMember, PublicNotice
from reviews.services import members as member_services
from reviews.services import notices as notice_services
from tests.factories import PilotBaseFactory, make_expert

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def panel_with(people, due_on, states=("accepted", "accepted", "invited")):
    base = PilotBaseFactory(host=people.host_a, expert_review=True)
    panel = Panel.objects.create(
        title="年度评审", purpose="establishment", template_name="t", due_on=due_on, created_by=people.bureau
    )
    panel.criteria.create(name="综合", weight=100, max_score=10)
    entry = PanelBase.objects.create(panel=panel, base=base)
    draw = PanelDraw.objects.create(
        panel=panel, kind="initial", seed=1, requested=len(states), drawn_by=people.bureau
    )
    members = []
    for state in states:
        expert = make_expert()
        members.append(
            PanelMember.objects.create(
                panel=panel,
                expert=expert,
                draw=draw,
                state=state,
                declared_at=datetime(2026, 1, 5, tzinfo=SH) if state == "accepted" else None,
            )
        )
    return panel, entry, members


def test_every_job_is_listed_and_recorded(people):
    results = run_daily_jobs(as_of=date(2026, 3, 2))
    assert [r.name for r in results] == [path.rsplit(".", 1)[-1] for path in DAILY_JOBS]
    assert JobRun.objects.count() == len(DAILY_JOBS)
    assert all(run.finished_at and not run.error for run in JobRun.objects.all())


def test_automatic_actions_run_before_the_reminders_and_the_email_retry_last():
    """The apps register their jobs (register_daily_job); the day runs them in this order: the notices
    closed (Art. 8-3) and bases revoked (Art. 8-4) before the reminders that read their states."""
    assert list(DAILY_JOBS) == [
        "close_ended_notices",
        "revoke_unaccepted_after_extension",
        "remind_notice_ending",
        "remind_objections_waiting",
        "remind_scoring_due",
        "remind_task_book_due",
        "remind_construction_deadline",
        "remind_acceptance_window",
        "remind_annual_report_due",
        "remind_evaluation_due",
        "remind_measures_expiry",
        "retry_unsent_emails",
    ]


def test_command_prints_one_line_per_action_and_dry_run_changes_nothing(people):
    panel_with(people, due_on=date(2026, 3, 5))
    out = StringIO()
    call_command("run_daily_jobs", "--date", "2026-03-02", "--dry-run", stdout=out)
    assert out.getvalue().count("[试运行] remind_scoring_due") == 3
    assert not Notification.objects.exists()
    out = StringIO()
    call_command("run_daily_jobs", "--date", "2026-03-02", stdout=out)
    assert out.getvalue().count("remind_scoring_due: ") == 3
    assert Notification.objects.filter(dedup_key__startswith="scoring-due-3").count() == 3
    out = StringIO()
    call_command("run_daily_jobs", "--date", "2026-03-02", stdout=out)
    assert "remind_scoring_due" not in out.getvalue()
    assert Notification.objects.count() == 3


def test_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_daily_jobs", "--date", "2026-13-01")


def test_a_submitted_expert_gets_no_reminder(people):
    panel, entry, (done, waiting, _invited) = panel_with(people, due_on=date(2026, 3, 3))
    member_services.sheet_save(
        actor=done.expert.user,
        member=done,
        entry=entry,
        scores={panel.criteria.get().pk: "8"},
        opinion="好",
        recommendation="pass",
        submit=True,
    )
    run_daily_jobs(as_of=date(2026, 3, 2))
    assert not done.expert.user.notifications.exists()
    assert waiting.expert.user.notifications.get().kind == "deadline"


def test_the_scheduled_rule_closes_an_ended_notice(people):
    base = PilotBaseFactory(host=people.host_a, review_passed=True)
    notice = notice_services.notice_publish(
        actor=people.bureau,
        title="公示",
        body="b",
        starts_on=date(2026, 9, 30),
        working_days=7,
        bases=[base],
        today=date(2026, 9, 29),
    )
    run_daily_jobs(as_of=date(2026, 10, 14))  # the last day: still open
    base.refresh_from_db()
    assert base.status == Status.IN_NOTICE
    run_daily_jobs(as_of=date(2026, 10, 15))
    base.refresh_from_db()
    notice.refresh_from_db()
    assert base.status == Status.NOTICE_CLEARED and notice.state == PublicNotice.State.CLOSED
    log = StateLog.objects.for_(base).latest("pk")
    assert log.by is None and "公示期满自动办结" in log.record.actor_label


def test_a_job_that_fails_is_recorded_and_the_others_still_run(people, monkeypatch):
    def broken(*, as_of, dry_run=False):
        raise RuntimeError("boom")

    monkeypatch.setattr(DAILY_JOBS["remind_notice_ending"], "run", broken)
    results = run_daily_jobs(as_of=date(2026, 3, 2))
    assert [r.name for r in results if r.error] == ["remind_notice_ending"]
    assert JobRun.objects.get(job="remind_notice_ending").error == "RuntimeError: boom"
    assert JobRun.objects.filter(error="").count() == len(DAILY_JOBS) - 1


def test_a_year_simulated_day_by_day(people, django_assert_max_num_queries):
    """2026 run day by day over bases in the states the portal has so far: exactly the expected
    reminders per kind and recipient, the notice closed once, nothing twice; rerunning a day changes
    nothing."""
    # a panel due 2026-03-10: two experts owe sheets, one never answered, one has submitted
    panel, entry, members = panel_with(
        people, due_on=date(2026, 3, 10), states=("accepted", "accepted", "invited")
    )
    member_services.sheet_save(
        actor=members[0].expert.user,
        member=members[0],
        entry=entry,
        scores={panel.criteria.get().pk: "8"},
        opinion="好",
        recommendation="pass",
        submit=True,
    )
    # a notice 2026-09-30 + 7 working days (ends 10-14) with one objection lodged on 10-09, resolved 10-20
    in_notice = PilotBaseFactory(host=people.host_b, review_passed=True)
    notice = notice_services.notice_publish(
        actor=people.bureau,
        title="年度公示",
        body="b",
        starts_on=date(2026, 9, 30),
        working_days=7,
        bases=[in_notice],
        today=date(2026, 9, 29),
    )
    objection = notice_services.objection_lodge(
        notice=notice,
        entry_id=notice.entries.get().pk,
        name="王五",
        organisation="",
        phone="13912345678",
        email="",
        content="材料与实际情况不符，请核查。",
        now=datetime(2026, 10, 9, 10, tzinfo=SH),
    )
    # a base approved on 2026-06-01 that never files its task book
    approved = PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 6, 1))
    Notification.objects.all().delete()  # only what the jobs send counts below

    day = date(2026, 1, 1)
    while day <= date(2026, 12, 31):
        if day == date(2026, 10, 20):
            notice_services.objection_resolve(
                actor=people.bureau,
                objection=objection,
                upheld=False,
                resolution="不属实。",
                now=datetime.combine(day, time(9), tzinfo=SH),
            )
        run_daily_jobs(as_of=day)
        if day == date(2026, 10, 16):  # rerunning a day sends and changes nothing
            before = (Notification.objects.count(), StateLog.objects.count())
            run_daily_jobs(as_of=day)
            assert (Notification.objects.count(), StateLog.objects.count()) == before
        day += timedelta(days=1)

    sent = Counter(
        (n.dedup_key.split(":")[0], n.recipient.username)
        for n in Notification.objects.exclude(dedup_key="").select_related("recipient")
    )
    waiting, invited = members[1].expert.user.username, members[2].expert.user.username
    bureau = people.bureau.username
    expected = {
        ("scoring-due-3", waiting): 1,
        ("scoring-due-1", waiting): 1,
        ("scoring-overdue", waiting): 1,
        ("scoring-due-3", invited): 1,
        ("scoring-due-1", invited): 1,
        ("scoring-overdue", invited): 1,
        ("panel-overdue", bureau): 1,
        ("notice-ending", bureau): 1,
        ("objection-waiting", bureau): 1,
        ("notice-blocked-" + str(notice.pk), bureau): 1,
        ("taskbook-due", people.staff_a.username): 1,
        ("taskbook-due", people.approver_a.username): 1,
        ("taskbook-due", people.supervisor_a.username): 1,
    }
    assert dict(sent) == expected
    # the scheduled closing told the host unit and its supervisor once, like any step
    cleared = Notification.objects.filter(dedup_key="", title__contains="公示期满无异议")
    assert sorted(cleared.values_list("recipient__username", flat=True)) == sorted(
        [people.staff_b.username, people.approver_b.username, people.supervisor_b.username]
    )
    assert Notification.objects.filter(dedup_key="").count() == 3
    in_notice.refresh_from_db()
    notice.refresh_from_db()
    assert in_notice.status == Status.NOTICE_CLEARED and notice.state == PublicNotice.State.CLOSED
    assert StateLog.objects.for_(in_notice).filter(state=Status.NOTICE_CLEARED).count() == 1
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
