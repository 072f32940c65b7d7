"""Operation (Art. 15–17): who owes an annual report, the report's chain, grading with the
two-consecutive-failures rule, non-submission, publication, the triennial evaluation with its site
inspection, and the correction of an erroneous revocation."""

from datetime import date, datetime

import pytest
from django.utils import timezone
from django_fsm_log.models import StateLog

from assessments.models import AnnualGrade, AnnualReport, Evaluation, ReportingRound
from assessments.services import grading, reporting, triennial
from bases import services as base_services
from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import Status
from bases.policy import owes_annual_report
from bases.services import filings
from portal.notifications.models import Notification
from reviews.models import SiteVisit
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db
TODAY = date(2027, 2, 10)


@pytest.mark.parametrize(
    ("recognized_on", "left_on", "owes"),
    [
        (date(2025, 12, 31), None, True),  # recognised on 31 December
        (date(2026, 1, 1), None, False),  # recognised the next day: not for 2025
        (date(2024, 5, 1), date(2025, 7, 1), False),  # revoked mid-year
        (date(2024, 5, 1), date(2026, 1, 1), True),  # left only after the year
        (date(2024, 5, 1), date(2025, 12, 31), False),  # left on 31 December itself
        (None, None, False),
    ],
)
def test_art15_who_owes_the_report_on_2025(recognized_on, left_on, owes):
    assert owes_annual_report(2025, recognized_on, left_on) is owes


def test_art15_the_round_lists_exactly_the_bases_in_the_roster_on_31_december(people):
    on_31 = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2025, 12, 31))
    PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2026, 1, 1))
    PilotBaseFactory(
        host=people.host_a, revoked=True, recognized_on=date(2024, 3, 1), revoked_on=date(2025, 7, 1)
    )
    predecessor = PilotBaseFactory(host=people.host_b, superseded=True, recognized_on=date(2023, 3, 1))
    successor = PilotBaseFactory(
        host=people.host_b,
        recognized=True,
        kind="re_recognition",
        predecessor=predecessor,
        recognized_on=date(2025, 6, 1),
    )
    assert set(reporting.bases_owing_report(2025)) == {on_31, successor}
    report_round = reporting.round_open(actor=people.bureau, year=2025, today=TODAY)
    assert report_round.due_on == date(2026, 1, 31) and report_round.grace_ends_on == date(2026, 3, 2)
    assert {r.base for r in report_round.reports.all()} == {on_31, successor}
    assert Notification.objects.filter(recipient=people.staff_a, title__contains="2025年度报告").exists()
    with pytest.raises(TransitionRefused, match="已经开启"):
        reporting.round_open(actor=people.bureau, year=2025, today=TODAY)
    with pytest.raises(TransitionRefused, match="尚不能开启"):
        reporting.round_open(actor=people.bureau, year=2027, today=TODAY)
    with pytest.raises(PermissionRefused):
        reporting.round_open(actor=people.supervisor_a, year=2024, today=TODAY)


def recognised(people, **fields):
    return PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2020, 6, 1), **fields)


def filed_report(people, base, year):
    report_round = ReportingRound.objects.filter(year=year).first() or reporting.round_open(
        actor=people.bureau, year=year, today=date(year + 1, 1, 5)
    )
    report = AnnualReport.objects.get(base=base, round=report_round)
    filings.filing_update(
        actor=people.staff_a, filing=report, data={"summary": "完成计划。", "plan": "继续运行。"}
    )
    for actor, action in [
        (people.approver_a, "submit"),
        (people.supervisor_a, "supervisor_approve"),
        (people.bureau, "approve"),
    ]:
        filings.filing_step(actor=actor, filing=report, action=action)
    report.refresh_from_db()
    return report


def grade(people, base, year, value, **kwargs):
    report = AnnualReport.objects.get(base=base, round__year=year)
    return grading.grade_record(
        actor=people.bureau, report=report, grade=value, today=date(year + 1, 4, 1), **kwargs
    )


def publish_year(people, year, on=None):
    """Publish the year's results (Art. 16: they take effect then), by default on 15 April after it."""
    on = on or date(year + 1, 4, 15)
    report_round = ReportingRound.objects.get(year=year)
    return grading.round_publish(
        actor=people.bureau,
        report_round=report_round,
        now=timezone.make_aware(datetime(on.year, on.month, on.day, 10)),
    )


def test_art15_the_report_needs_summary_and_plan_before_it_goes_up(people):
    base = recognised(people)
    report_round = reporting.round_open(actor=people.bureau, year=2025, today=TODAY)
    report = AnnualReport.objects.get(base=base, round=report_round)
    with pytest.raises(TransitionRefused, match="工作总结"):
        filings.filing_step(actor=people.approver_a, filing=report, action="submit")
    with pytest.raises(TransitionRefused, match="由市科技局开启"):
        filings.filing_create(actor=people.staff_a, base=base, kind="annual-report", data={})


def test_art16_two_consecutive_failures_revoke(people):
    base = recognised(people)
    for year in (2023, 2024):
        filed_report(people, base, year)
    grade(people, base, 2023, "fail")
    publish_year(people, 2023)
    base.refresh_from_db()
    assert base.status == Status.RECOGNIZED
    grade(people, base, 2024, "fail")
    publish_year(people, 2024)
    base.refresh_from_db()
    assert base.status == Status.REVOKED and base.revocation_reason == "two_consecutive_failures"
    assert "第十六条" in base.revocation_article


def test_art16_fail_pass_fail_does_not_revoke(people):
    base = recognised(people)
    for year, value in [(2022, "fail"), (2023, "pass"), (2024, "fail")]:
        filed_report(people, base, year)
        grade(people, base, year, value)
    base.refresh_from_db()
    assert base.status == Status.RECOGNIZED


def test_art16_grading_years_out_of_order_still_revokes(people):
    base = recognised(people)
    for year in (2023, 2024):
        filed_report(people, base, year)
    grade(people, base, 2024, "fail")
    publish_year(people, 2024)
    base.refresh_from_db()
    assert base.status == Status.RECOGNIZED
    grade(people, base, 2023, "fail")
    publish_year(people, 2023)
    base.refresh_from_db()
    assert base.status == Status.REVOKED


def test_art16_non_submission_only_after_due_date_and_grace(people):
    base = recognised(people)
    report_round = reporting.round_open(actor=people.bureau, year=2025, today=TODAY)
    report = AnnualReport.objects.get(base=base, round=report_round)
    with pytest.raises(TransitionRefused, match="2026-03-02"):
        grading.grade_record(actor=people.bureau, report=report, grade="fail", today=date(2026, 3, 2))
    with pytest.raises(TransitionRefused, match="只能评为不合格"):
        grading.grade_record(actor=people.bureau, report=report, grade="pass", today=date(2026, 3, 3))
    row = grading.grade_record(actor=people.bureau, report=report, grade="fail", today=date(2026, 3, 3))
    assert row.non_submission


def test_results_are_published_at_once_and_then_frozen(people):
    first, second = recognised(people), recognised(people)
    for base in (first, second):
        filed_report(people, base, 2025)
    grade(people, first, 2025, "good")
    report_round = ReportingRound.objects.get(year=2025)
    with pytest.raises(TransitionRefused, match="1 个基地未考核"):
        grading.round_publish(actor=people.bureau, report_round=report_round)
    grade(people, second, 2025, "pass")
    grading.round_publish(actor=people.bureau, report_round=report_round)
    assert (
        Notification.objects.filter(title__contains="2025年度考核结果").count() == 6
    )  # 2 bases × staff, approver, supervisor
    with pytest.raises(TransitionRefused, match="已发布"):
        grade(people, first, 2025, "excellent")


def test_art17_triennial_due_from_recognition_and_from_the_last_evaluation(people):
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2023, 3, 15))
    assert [b for b, _on in triennial.bases_due_for_evaluation(2026)] == [base]
    evaluation_round = triennial.evaluation_round_open(actor=people.bureau, year=2026)
    evaluation = Evaluation.objects.get(round=evaluation_round)
    assert evaluation.due_on == date(2026, 3, 15)
    Evaluation.objects.filter(pk=evaluation.pk).update(graded_on=date(2026, 4, 1), grade="good")
    assert triennial.bases_due_for_evaluation(2026) == []
    assert [on for _b, on in triennial.bases_due_for_evaluation(2029)] == [date(2029, 3, 15)]


def approved_evaluation(people, base, year=2026):
    evaluation_round = triennial.evaluation_round_open(actor=people.bureau, year=year)
    evaluation = Evaluation.objects.get(round=evaluation_round, base=base)
    filings.filing_update(actor=people.staff_a, filing=evaluation, data={"self_evaluation": "三年运行良好。"})
    for actor, action in [
        (people.approver_a, "submit"),
        (people.supervisor_a, "supervisor_approve"),
        (people.bureau, "approve"),
    ]:
        filings.filing_step(actor=actor, filing=evaluation, action=action)
    evaluation.refresh_from_db()
    return evaluation


def test_art17_a_missing_site_inspection_blocks_grading(people):
    """The site inspection alone is not enough either; the meeting review and the revocation on 不合格
    are tested in test_art17_evaluation.py."""
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2023, 3, 15))
    evaluation = approved_evaluation(people, base)
    with pytest.raises(TransitionRefused, match="现场考察"):
        triennial.evaluation_grade(actor=people.bureau, evaluation=evaluation, grade="fail")
    SiteVisit.objects.create(
        base=base,
        purpose="evaluation",
        visited_on=date(2026, 5, 1),
        participants="专家组",
        findings="设备闲置。",
        created_by=people.bureau,
    )
    with pytest.raises(TransitionRefused, match="会议评审") as refused:
        triennial.evaluation_grade(
            actor=people.bureau, evaluation=evaluation, grade="fail", note="运行不正常"
        )
    assert "现场考察" not in refused.value.message
    base.refresh_from_db()
    assert base.status == Status.RECOGNIZED


def test_only_an_admin_corrects_an_erroneous_revocation_with_a_reason(people):
    base = recognised(people)
    base_services.base_revoke(actor=people.bureau, base=base, reason_code="bureau_decision", note="误操作")
    base.refresh_from_db()
    with pytest.raises(PermissionRefused):
        base_services.base_reinstate(actor=people.bureau, base=base, reason="纠正")
    with pytest.raises(TransitionRefused, match="理由"):
        base_services.base_reinstate(actor=people.admin, base=base, reason="")
    base_services.base_reinstate(actor=people.admin, base=base, reason="撤销系误操作，经核实予以纠正。")
    base.refresh_from_db()
    assert base.status == Status.RECOGNIZED and base.revoked_on is None and base.revocation_reason == ""
    log = StateLog.objects.for_(base).latest("pk")
    assert log.transition == "reinstate" and log.by == people.admin and "误操作" in log.description


def test_a_revocation_records_who_or_which_rule(people):
    base = recognised(people)
    for year in (2023, 2024):
        filed_report(people, base, year)
        grade(people, base, year, "fail")
        publish_year(people, year)
    log = StateLog.objects.for_(base).get(state=Status.REVOKED)
    assert log.by == people.bureau and log.record.reason_code == "two_consecutive_failures"
    assert AnnualGrade.objects.filter(base=base).count() == 2
    base.refresh_from_db()
    assert base.revoked_on == date(2025, 4, 15)  # the day the second 不合格 was published


def test_art16_grading_on_the_score_sheet_weighs_the_criteria(client, people):
    from reviews.models import ScoringTemplate

    base = recognised(people)
    filed_report(people, base, 2025)
    report = AnnualReport.objects.get(base=base, round__year=2025)
    criteria = list(ScoringTemplate.objects.get(purpose="annual").criteria.all())
    assert [c.weight for c in criteria] == [30, 25, 15, 15, 15]
    scores = dict(zip([c.pk for c in criteria], ["9", "8", "10", "6", "7"], strict=True))
    with pytest.raises(TransitionRefused, match="0 至 10"):
        grading.grade_record(
            actor=people.bureau, report=report, grade="good", sheet={**scores, criteria[0].pk: "11"}
        )
    row = grading.grade_record(
        actor=people.bureau, report=report, grade="good", sheet=scores, today=date(2026, 4, 1)
    )
    # 9/10·30 + 8/10·25 + 10/10·15 + 6/10·15 + 7/10·15 = 27 + 20 + 15 + 9 + 10.5
    assert row.score == 81.5 and row.sheet[0][:2] == ["中试服务与成效", "9"]
    client.force_login(people.bureau)
    page = client.get(f"/assessments/reports/2025/sheet/{report.pk}/").content.decode()
    assert "中试服务与成效" in page and 'value="9"' in page


def test_art17_an_evaluation_panel_scores_without_moving_the_base(client, people):
    from reviews.models import PanelMember, ScoringTemplate, Specialty
    from reviews.services import members, panels
    from tests.factories import make_expert

    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2023, 3, 15))
    approved_evaluation(people, base)
    for _ in range(3):
        make_expert()
    panel = panels.panel_form(
        actor=people.bureau,
        title="三年评估专家组",
        purpose="evaluation",
        template=ScoringTemplate.objects.get(purpose="evaluation"),
        bases=[base],
        due_on=date(2099, 1, 1),
        specialties=[Specialty.objects.get(name="新材料")],
        count=3,
        seed=5,
    )
    entry = panel.panel_bases.get()
    for member in panel.members.all():
        members.member_accept(actor=member.expert.user, member=member, declared=True)
        members.sheet_save(
            actor=member.expert.user,
            member=PanelMember.objects.get(pk=member.pk),
            entry=entry,
            scores={c.pk: "8" for c in panel.criteria.all()},
            opinion="运行良好。",
            recommendation="pass",
            submit=True,
        )
    panels.panel_conclude(actor=people.bureau, panel=panel)
    base.refresh_from_db()
    entry.refresh_from_db()
    assert base.status == Status.RECOGNIZED and entry.score == 80
    client.force_login(people.bureau)
    assert "80.00" in client.get("/assessments/evaluations/2026/").content.decode()
