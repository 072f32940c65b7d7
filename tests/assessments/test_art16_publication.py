"""Art. 16 at its edges: grades are the bureau's until it publishes them.

"连续两年考核结果为“不合格”的，撤销中试基地资格": a grade is a result (考核结果) once the bureau publishes
it; until then it is a draft the bureau may correct. So the revocation takes effect when the second
consecutive 不合格 is published, dated that day, and a corrected draft leaves nothing behind.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django_fsm_log.models import StateLog

from assessments.models import AnnualGrade, GradeChange, ReportingRound
from assessments.services import grading
from bases.exceptions import TransitionRefused
from bases.models import Status
from tests.assessments.test_operation import filed_report, grade, recognised

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def publish(people, year, on=date(2025, 4, 15)):
    report_round = ReportingRound.objects.get(year=year)
    return grading.round_publish(
        actor=people.bureau,
        report_round=report_round,
        now=datetime(on.year, on.month, on.day, 10, tzinfo=SHANGHAI),
    )


def test_art16_a_second_fail_revokes_only_when_it_is_published(people):
    base = recognised(people)
    for year in (2023, 2024):
        filed_report(people, base, year)
    grade(people, base, 2023, "fail")
    publish(people, 2023, on=date(2024, 4, 1))
    grade(people, base, 2024, "fail")
    base.refresh_from_db()
    assert base.status == Status.RECOGNIZED  # the bureau's draft: nothing has happened yet
    publish(people, 2024, on=date(2025, 4, 15))
    base.refresh_from_db()
    assert base.status == Status.REVOKED and base.revocation_reason == "two_consecutive_failures"
    assert base.revoked_on == date(2025, 4, 15)  # the day the second 不合格 was published
    assert "2023" in base.revocation_note and "2024" in base.revocation_note


def test_art16_correcting_an_unpublished_fail_leaves_no_revocation(people):
    base = recognised(people)
    for year in (2023, 2024):
        filed_report(people, base, year)
    grade(people, base, 2023, "fail")
    publish(people, 2023, on=date(2024, 4, 1))
    grade(people, base, 2024, "fail")
    grade(people, base, 2024, "pass", note="复核后更正")
    publish(people, 2024)
    base.refresh_from_db()
    assert base.status == Status.RECOGNIZED and base.revoked_on is None
    assert not StateLog.objects.for_(base).filter(state=Status.REVOKED).exists()
    assert AnnualGrade.objects.get(base=base, year=2024).grade == "pass"


def test_art16_the_audit_trail_shows_every_correction(people):
    base = recognised(people)
    filed_report(people, base, 2024)
    grade(people, base, 2024, "fail")
    grade(people, base, 2024, "basic_pass")
    grade(people, base, 2024, "basic_pass")  # unchanged: nothing to record
    changes = list(GradeChange.objects.filter(grade__base=base, grade__year=2024).order_by("pk"))
    assert [(c.from_grade, c.to_grade) for c in changes] == [("", "fail"), ("fail", "basic_pass")]
    assert all(c.changed_by == people.bureau for c in changes)


def test_art16_unpublished_years_do_not_count_until_published_in_any_order(people):
    base = recognised(people)
    for year in (2023, 2024):
        filed_report(people, base, year)
    grade(people, base, 2023, "fail")
    grade(people, base, 2024, "fail")
    publish(people, 2024, on=date(2025, 4, 15))
    base.refresh_from_db()
    assert base.status == Status.RECOGNIZED  # 2023 is still a draft
    publish(people, 2023, on=date(2025, 5, 6))
    base.refresh_from_db()
    assert base.status == Status.REVOKED and base.revoked_on == date(2025, 5, 6)


def test_art16_a_published_grade_cannot_be_corrected_and_publication_happens_once(people):
    base = recognised(people)
    for year in (2023, 2024):
        filed_report(people, base, year)
    grade(people, base, 2023, "fail")
    publish(people, 2023, on=date(2024, 4, 1))
    grade(people, base, 2024, "fail")
    publish(people, 2024)
    with pytest.raises(TransitionRefused, match="已发布"):
        publish(people, 2024)
    with pytest.raises(TransitionRefused, match="已发布"):
        grade(people, base, 2024, "pass")
    assert StateLog.objects.for_(base).filter(state=Status.REVOKED).count() == 1


def test_art16_a_host_sees_no_grade_before_publication(client, people):
    base = recognised(people)
    filed_report(people, base, 2024)
    grade(people, base, 2024, "fail", note="内部意见")
    client.force_login(people.staff_a)
    page = client.get(f"/bases/{base.pk}/").content.decode()
    assert "内部意见" not in page and "不合格" not in page
    publish(people, 2024)
    page = client.get(f"/bases/{base.pk}/").content.decode()
    assert "不合格" in page
