"""Art. 17: the three-yearly evaluation is a meeting review (会议评审: panel, date, opinion, minutes in
PDF) and a site inspection (现场考察: date, participants, findings); it cannot conclude without both,
the service refuses with a Chinese message naming what is missing, and the bureau's page shows it
before the bureau grades."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from assessments.models import Evaluation, EvaluationMeeting
from assessments.services import triennial
from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import Status
from bases.services import filings
from portal.documents.models import Attachment
from reviews.models import PanelMember, ScoringTemplate, SiteVisit, Specialty
from reviews.services import members, panels
from tests.factories import PilotBaseFactory, make_expert
from tests.uploads import PNG, pdf, upload

pytestmark = pytest.mark.django_db
YEAR = 2026
TODAY = date(2026, 12, 1)
HELD_ON = date(2026, 11, 20)


def approved_evaluation(people, base):
    evaluation_round = triennial.evaluation_round_open(actor=people.bureau, year=YEAR)
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


def concluded_panel(people, base, conclude=True):
    for _ in range(3):
        make_expert()
    panel = panels.panel_form(
        actor=people.bureau,
        title="三年评估会议评审",
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
    if conclude:
        panels.panel_conclude(actor=people.bureau, panel=panel)
    return panel


@pytest.fixture
def evaluation(people):
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(YEAR - 3, 1, 15))
    return approved_evaluation(people, base)


def inspect(people, base):
    return SiteVisit.objects.create(
        base=base,
        purpose="evaluation",
        visited_on=HELD_ON,
        participants="市科技局、专家组",
        findings="中试线运行正常。",
        created_by=people.bureau,
    )


def meet(people, evaluation, panel, **overrides):
    values = {
        "actor": people.bureau,
        "evaluation": evaluation,
        "panel": panel,
        "held_on": HELD_ON,
        "opinion": "会议评审认为该基地运行良好。",
        "minutes": pdf("会议纪要.pdf"),
        "today": TODAY,
    }
    values.update(overrides)
    return triennial.evaluation_meeting_record(**values)


def test_art17_grading_is_refused_until_both_the_meeting_review_and_the_site_inspection(people, evaluation):
    with pytest.raises(TransitionRefused) as refused:
        triennial.evaluation_grade(actor=people.bureau, evaluation=evaluation, grade="good")
    assert "会议评审" in refused.value.message and "现场考察" in refused.value.message
    inspect(people, evaluation.base)
    with pytest.raises(TransitionRefused) as refused:  # the inspection alone is not enough
        triennial.evaluation_grade(actor=people.bureau, evaluation=evaluation, grade="good")
    assert "会议评审" in refused.value.message and "现场考察" not in refused.value.message
    evaluation.refresh_from_db()
    assert evaluation.grade == "" and evaluation.graded_on is None
    meet(people, evaluation, concluded_panel(people, evaluation.base))
    triennial.evaluation_grade(actor=people.bureau, evaluation=evaluation, grade="good", note="良好")
    evaluation.refresh_from_db()
    assert evaluation.grade == "good"


def test_art17_the_meeting_review_alone_is_not_enough_and_a_fail_then_revokes(people, evaluation):
    meet(people, evaluation, concluded_panel(people, evaluation.base))
    with pytest.raises(TransitionRefused) as refused:
        triennial.evaluation_grade(actor=people.bureau, evaluation=evaluation, grade="fail")
    assert "现场考察" in refused.value.message and "会议评审" not in refused.value.message
    evaluation.base.refresh_from_db()
    assert evaluation.base.status == Status.RECOGNIZED
    inspect(people, evaluation.base)
    triennial.evaluation_grade(actor=people.bureau, evaluation=evaluation, grade="fail")
    evaluation.base.refresh_from_db()
    assert evaluation.base.status == Status.REVOKED


def test_art17_records_made_before_the_round_do_not_count(people, evaluation):
    visit = inspect(people, evaluation.base)
    SiteVisit.objects.filter(pk=visit.pk).update(created_at=evaluation.round.opened_at - timedelta(days=400))
    assert "现场考察" in " ".join(triennial.evaluation_missing(evaluation))


def test_art17_the_meeting_review_needs_a_concluded_evaluation_panel_on_this_base(people, evaluation):
    open_panel = concluded_panel(people, evaluation.base, conclude=False)
    with pytest.raises(TransitionRefused) as refused:
        meet(people, evaluation, open_panel)
    assert "尚未完成评审" in refused.value.field_errors["panel"]
    other = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(YEAR - 3, 1, 15))
    approved_evaluation_other = Evaluation.objects.create(
        base=other, round=evaluation.round, due_on=evaluation.due_on, created_by=people.bureau
    )
    panels.panel_conclude(actor=people.bureau, panel=open_panel)
    with pytest.raises(TransitionRefused) as refused:
        meet(people, approved_evaluation_other, open_panel)
    assert "评审对象中没有该基地" in refused.value.field_errors["panel"]
    assert not EvaluationMeeting.objects.exists()


def test_art17_the_minutes_must_be_a_pdf_and_every_field_is_required(people, evaluation):
    panel = concluded_panel(people, evaluation.base)
    with pytest.raises(TransitionRefused) as refused:
        meet(people, evaluation, panel, minutes=upload("会议纪要.pdf", PNG, "application/pdf"))
    assert "会议纪要.pdf" in " ".join(refused.value.field_errors.values())  # named, with why
    with pytest.raises(TransitionRefused) as refused:
        meet(people, evaluation, panel, minutes=None, opinion=" ", held_on=TODAY + timedelta(1))
    assert set(refused.value.field_errors) == {"minutes", "opinion", "held_on"}
    assert (
        not EvaluationMeeting.objects.exists()
        and not Attachment.objects.filter(purpose="evaluation_minutes").exists()
    )
    with pytest.raises(PermissionRefused):
        meet(people, evaluation, panel, actor=people.supervisor_a)


def test_art17_the_page_shows_what_is_missing_before_the_bureau_grades(client, people, evaluation):
    client.force_login(people.bureau)
    page = client.get(reverse("assessments:evaluations", args=[YEAR])).content.decode()
    assert "尚缺" in page and "会议评审" in page and "现场考察" in page
    assert reverse("assessments:evaluation_meeting", args=[YEAR, evaluation.pk]) in page
    inspect(people, evaluation.base)
    meet(people, evaluation, concluded_panel(people, evaluation.base))
    page = client.get(reverse("assessments:evaluations", args=[YEAR])).content.decode()
    assert "尚缺" not in page and "会议纪要.pdf" in page


def test_art17_a_bad_minutes_upload_is_refused_in_chinese_and_keeps_what_was_typed(
    client, people, evaluation
):
    panel = concluded_panel(people, evaluation.base)
    client.force_login(people.bureau)
    url = reverse("assessments:evaluation_meeting", args=[YEAR, evaluation.pk])
    assert client.get(url).status_code == 200
    answer = client.post(
        url,
        {
            "panel": panel.pk,
            "held_on": HELD_ON.isoformat(),
            "opinion": "专家组一致认为运行良好，建议评为良好。",
            "minutes": upload("纪要.pdf", PNG, "application/pdf"),
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "纪要.pdf" in page and "不是允许的类型" in page
    assert "专家组一致认为运行良好，建议评为良好。" in page  # kept
    assert "重新选择" in page  # the file input cannot be refilled: said so
    assert not EvaluationMeeting.objects.exists()
    answer = client.post(
        url,
        {
            "panel": panel.pk,
            "held_on": HELD_ON.isoformat(),
            "opinion": "专家组一致认为运行良好。",
            "minutes": pdf("会议纪要.pdf"),
        },
    )
    assert answer.status_code == 302
    meeting = EvaluationMeeting.objects.get(evaluation=evaluation)
    assert meeting.panel == panel and meeting.minutes.original_name == "会议纪要.pdf"
    # the minutes are the bureau's: the host may not download them
    client.force_login(people.staff_a)
    assert client.get(reverse("bases:attachment", args=[meeting.minutes.pk])).status_code == 404
    client.force_login(people.bureau)
    assert client.get(reverse("bases:attachment", args=[meeting.minutes.pk])).status_code == 200


@pytest.mark.parametrize("who", ["staff_a", "approver_a", "supervisor_a", "expert", "admin"])
def test_art17_only_the_bureau_records_the_meeting_review_and_nothing_changes_otherwise(
    client, people, evaluation, who
):
    panel = concluded_panel(people, evaluation.base)
    client.force_login(getattr(people, who))
    answer = client.post(
        reverse("assessments:evaluation_meeting", args=[YEAR, evaluation.pk]),
        {"panel": panel.pk, "held_on": HELD_ON.isoformat(), "opinion": "x", "minutes": pdf()},
    )
    assert answer.status_code in (403, 404)
    assert not EvaluationMeeting.objects.exists()


def test_art17_an_evaluation_outside_the_year_in_the_address_is_not_found(client, people, evaluation):
    panel = concluded_panel(people, evaluation.base)
    client.force_login(people.bureau)
    answer = client.post(
        reverse("assessments:evaluation_meeting", args=[YEAR + 1, evaluation.pk]),
        {"panel": panel.pk, "held_on": HELD_ON.isoformat(), "opinion": "x", "minutes": pdf()},
    )
    assert answer.status_code == 404 and not EvaluationMeeting.objects.exists()
