"""Public notices and objections (Art. 8-3)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import Status
from portal.models import CalendarYear
from reviews.models import NoticeBase, Objection, PublicNotice
from reviews.services import notices as services
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def bases(people):
    return [
        PilotBaseFactory(host=people.host_a, review_passed=True),
        PilotBaseFactory(host=people.host_b, review_passed=True),
    ]


def publish(people, bases, starts_on=date(2026, 9, 30), days=7, today=date(2026, 9, 29)):
    return services.notice_publish(
        actor=people.bureau,
        title="2026年度忻州市中试基地拟立项建设名单公示",
        body="现予以公示。",
        starts_on=starts_on,
        working_days=days,
        bases=bases,
        contact="0350-1234567",
        today=today,
    )


def lodge(notice, now, **overrides):
    values = {
        "notice": notice,
        "entry_id": notice.entries.first().pk,
        "name": "王五",
        "organisation": "某公司",
        "phone": "13912345678",
        "email": "",
        "content": "该基地申报的仪器设备与实际情况不符，请核查。",
        "ip_address": "10.0.0.1",
        "now": now,
    }
    values.update(overrides)
    return services.objection_lodge(**values)


def test_art8_3_publishing_moves_bases_in_notice_with_end_in_working_days(people, bases):
    notice = publish(people, bases)
    assert notice.ends_on == date(2026, 10, 14)  # National Day 10-01…10-07 off, 10-10 a make-up day
    assert not notice.calendar_estimated
    for base in bases:
        base.refresh_from_db()
        assert base.status == Status.IN_NOTICE


def test_a_year_without_confirmed_calendar_is_flagged(people, bases):
    CalendarYear.objects.filter(year=2027).delete()
    period = services.notice_period(date(2026, 12, 28), 7)
    assert period.estimated and "2027" in period.warning


def test_publishing_refuses_bases_not_review_passed_and_bad_periods(people, bases):
    other = PilotBaseFactory(host=people.host_a, expert_review=True)
    with pytest.raises(TransitionRefused) as exc:
        publish(people, [*bases, other], days=0)
    assert other.name in exc.value.message and "工作日" in exc.value.message
    assert not PublicNotice.objects.exists()
    with pytest.raises(PermissionRefused):
        services.notice_publish(
            actor=people.supervisor_a,
            title="t",
            body="b",
            starts_on=date(2026, 9, 30),
            working_days=7,
            bases=bases,
        )


@pytest.mark.parametrize(
    ("now", "window"),
    [
        (at(2026, 9, 29, 23, 59, 59), "before"),
        (at(2026, 9, 30, 0, 0, 0), "open"),
        (at(2026, 10, 3, 12, 0), "open"),  # a holiday inside the period still accepts objections
        (at(2026, 10, 14, 23, 59, 59), "open"),
        (at(2026, 10, 15, 0, 0, 0), "after"),
        (datetime(2026, 10, 14, 16, 30, tzinfo=ZoneInfo("UTC")), "after"),  # 00:30 on the 15th in Xinzhou
    ],
)
def test_objection_window_edges_across_national_day_2026(people, bases, now, window):
    notice = publish(people, bases)
    assert services.objection_window(notice, now) == window
    if window == "open":
        objection = lodge(notice, now)
        assert objection.receipt_no.startswith("YY")
    else:
        with pytest.raises(services.ObjectionRefused) as exc:
            lodge(notice, now)
        assert ("尚未开始" if window == "before" else "24:00 结束") in exc.value.errors["__all__"]


@pytest.mark.parametrize("name", ["匿名", "", "知情人", "x"])
def test_anonymous_objections_are_refused(people, bases, name):
    notice = publish(people, bases)
    with pytest.raises(services.ObjectionRefused) as exc:
        lodge(notice, at(2026, 10, 9, 10), name=name)
    assert "匿名异议不予受理" in exc.value.errors["name"]
    assert not Objection.objects.exists()


def test_objections_need_a_phone_and_reasons(people, bases):
    notice = publish(people, bases)
    with pytest.raises(services.ObjectionRefused) as exc:
        lodge(notice, at(2026, 10, 9, 10), phone="12", content="不同意")
    assert set(exc.value.errors) == {"phone", "content"}


def test_objections_are_rate_limited_per_address(people, bases):
    notice = publish(people, bases)
    for minute in range(5):
        lodge(notice, at(2026, 10, 9, 10, minute))
    with pytest.raises(services.ObjectionRefused, match="过于频繁"):
        lodge(notice, at(2026, 10, 9, 10, 30))
    lodge(notice, at(2026, 10, 9, 10, 30), ip_address="10.0.0.2")
    lodge(notice, at(2026, 10, 9, 11, 1))  # an hour after the first


def test_closing_clears_rejects_and_waits_for_pending_objections(people, bases):
    notice = publish(people, bases)
    entry_a, entry_b = notice.entries.order_by("pk")
    upheld = lodge(notice, at(2026, 10, 9, 10), entry_id=entry_a.pk)
    pending = lodge(notice, at(2026, 10, 9, 11), entry_id=entry_b.pk)
    services.objection_resolve(
        actor=people.bureau, objection=upheld, upheld=True, resolution="经核查属实。", now=at(2026, 10, 12, 9)
    )
    with pytest.raises(TransitionRefused, match="期满后才能办结"):
        services.notice_close(actor=people.bureau, notice=notice, now=at(2026, 10, 14, 18))
    result = services.notice_close(actor=people.bureau, notice=notice, now=at(2026, 10, 15, 9))
    assert result.rejected == [entry_a.base.name] and result.blocked == [entry_b.base.name]
    notice.refresh_from_db()
    assert notice.state == PublicNotice.State.PUBLISHED
    entry_b.base.refresh_from_db()
    assert entry_b.base.status == Status.IN_NOTICE
    # resolving the last pending objection after the end settles the base and closes the notice
    services.objection_resolve(
        actor=people.bureau,
        objection=pending,
        upheld=False,
        resolution="反映情况与事实不符。",
        now=at(2026, 10, 16, 9),
    )
    entry_a.base.refresh_from_db()
    entry_b.base.refresh_from_db()
    notice.refresh_from_db()
    assert entry_a.base.status == Status.REJECTED and entry_b.base.status == Status.NOTICE_CLEARED
    assert notice.state == PublicNotice.State.CLOSED
    assert NoticeBase.objects.get(pk=entry_b.pk).outcome == "cleared"


def test_the_daily_job_may_close_a_notice_as_the_scheduled_rule(people, bases):
    notice = publish(people, bases)
    services.notice_close(actor=None, notice=notice, now=at(2026, 10, 15, 1), actor_label="公示期满自动办结")
    for base in bases:
        base.refresh_from_db()
        assert base.status == Status.NOTICE_CLEARED


def test_a_resolution_needs_reasons_and_happens_once(people, bases):
    notice = publish(people, bases)
    objection = lodge(notice, at(2026, 10, 9, 10))
    with pytest.raises(TransitionRefused, match="理由"):
        services.objection_resolve(actor=people.bureau, objection=objection, upheld=False, resolution=" ")
    services.objection_resolve(
        actor=people.bureau, objection=objection, upheld=False, resolution="不成立。", now=at(2026, 10, 10, 9)
    )
    with pytest.raises(TransitionRefused, match="已处理完毕"):
        services.objection_resolve(actor=people.bureau, objection=objection, upheld=True, resolution="成立。")


def test_public_pages_never_show_the_objectors_identity(client, people, bases, settings, monkeypatch):
    notice = publish(people, bases, starts_on=date(2026, 9, 30), today=date(2026, 9, 29))
    objection = lodge(notice, at(2026, 10, 9, 10), name="赵六", phone="13700001111", organisation="秘密单位")
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 10, 9))
    pages = [reverse("notices:list"), reverse("notices:detail", args=[notice.pk])]
    for url in pages:
        body = client.get(url).content.decode()
        assert notice.title in body
        for secret in (
            "赵六",
            "13700001111",
            "秘密单位",
            objection.receipt_no,
            people.staff_a.phone or "无此号码",
        ):
            assert secret not in body
