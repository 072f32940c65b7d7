"""Expert panels (Art. 8-2): forming a panel with a
recorded random draw, the declaration before any material, substitutes, score sheets locked on
submission, and the conclusion that moves each base."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from bases.exceptions import PermissionRefused, TransitionRefused
from bases.models import Status
from bases.selectors import base_list_for
from reviews import draw as drawing
from reviews.models import Panel, PanelMember, ScoringTemplate, Specialty
from reviews.services import members as member_services
from reviews.services import panels as services
from tests.factories import PilotBaseFactory, make_expert

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)


@pytest.fixture
def setting(people):
    base = PilotBaseFactory(host=people.host_a, preliminary_passed=True)
    base.co_builders.create(name="共建材料有限公司", role="中试线建设")
    experts = [make_expert(full_name=f"专家{i}") for i in range(6)]
    conflicted = make_expert(affiliation=people.host_a, full_name="本单位专家")
    declared = make_expert(full_name="申报回避专家", conflicts=[people.supervisor_a_org])
    other_field = make_expert(full_name="其他领域专家", specialties=("化工",))
    return {
        "base": base,
        "experts": experts,
        "conflicted": conflicted,
        "declared": declared,
        "other_field": other_field,
        "specialty": Specialty.objects.get(name="新材料"),
        "template": ScoringTemplate.objects.get(purpose="establishment"),
    }


def form(people, setting, count=5, seed=7, **overrides):
    values = {
        "actor": people.bureau,
        "title": "2026年度第一批建设评审",
        "purpose": "establishment",
        "template": setting["template"],
        "bases": [setting["base"]],
        "due_on": date(2026, 11, 20),
        "specialties": [setting["specialty"]],
        "count": count,
        "seed": seed,
        "today": TODAY,
    }
    values.update(overrides)
    return services.panel_form(**values)


def test_establishment_template_ships_with_art7s_eight_conditions():
    template = ScoringTemplate.objects.get(purpose="establishment")
    criteria = list(template.criteria.all())
    assert len(criteria) == 8
    assert sum(c.weight for c in criteria) == Decimal(100)
    assert "第七条第（一）项" in criteria[0].guidance and "第七条第（八）项" in criteria[-1].guidance


def test_art8_2_forming_a_panel_draws_experts_and_starts_expert_review(people, setting):
    panel = form(people, setting)
    setting["base"].refresh_from_db()
    assert setting["base"].status == Status.EXPERT_REVIEW
    assert panel.criteria.count() == 8
    draw = panel.draws.get()
    picked = set(draw.picked)
    assert len(picked) == 5 and picked <= {e.pk for e in setting["experts"]}
    excluded = {item["expert"]: item["reasons"] for item in draw.excluded}
    assert excluded[setting["conflicted"].pk] == [["host", people.host_a.name]]
    assert excluded[setting["declared"].pk] == [["declared", people.supervisor_a_org.name]]
    assert setting["other_field"].pk not in draw.eligible and setting["other_field"].pk not in excluded
    assert drawing.verify(draw.eligible, draw.requested, draw.seed, draw.picked)
    invited = panel.members.filter(state=PanelMember.State.INVITED).count()
    assert invited == 5
    user = panel.members.first().expert.user
    assert user.notifications.filter(url=reverse("reviews:my_panel", args=[panel.pk])).exists()


def test_too_few_eligible_experts_is_refused_and_nothing_is_written(people, setting):
    with pytest.raises(TransitionRefused, match="只有 6 名，不足 7 名"):
        form(people, setting, count=7)
    setting["base"].refresh_from_db()
    assert setting["base"].status == Status.PRELIMINARY_PASSED
    assert not Panel.objects.exists()


def test_only_the_bureau_forms_panels(people, setting):
    with pytest.raises(PermissionRefused):
        form(people, setting, actor=people.supervisor_a)


def test_panel_refuses_bases_not_awaiting_review_and_past_due_dates(people, setting):
    other = PilotBaseFactory(host=people.host_b, recommended=True)
    with pytest.raises(TransitionRefused) as exc:
        form(people, setting, bases=[setting["base"], other], due_on=date(2026, 11, 1))
    assert "评分截止日期不能早于今天" in exc.value.message and other.name in exc.value.message


def test_expert_sees_materials_only_after_declaring(people, setting):
    panel = form(people, setting)
    member = panel.members.first()
    user = member.expert.user
    assert not base_list_for(user).filter(pk=setting["base"].pk).exists()
    with pytest.raises(TransitionRefused, match="勾选"):
        member_services.member_accept(actor=user, member=member, declared=False)
    member_services.member_accept(actor=user, member=member, declared=True)
    member.refresh_from_db()
    assert member.state == PanelMember.State.ACCEPTED and member.declared_at is not None
    assert setting["base"].name in member.declaration
    assert base_list_for(user).filter(pk=setting["base"].pk).exists()


def test_an_expert_answers_only_their_own_invitation(people, setting):
    panel = form(people, setting)
    first, second = panel.members.all()[:2]
    with pytest.raises(PermissionRefused):
        member_services.member_accept(actor=second.expert.user, member=first, declared=True)


def test_decline_then_substitute_draw_replaces_the_expert(people, setting):
    panel = form(people, setting)
    member = panel.members.first()
    member_services.member_decline(actor=member.expert.user, member=member, reason="与依托单位有合作项目")
    assert people.bureau.notifications.filter(title__contains="专家谢绝评审").exists()
    draw = services.panel_draw_substitutes(
        actor=people.bureau, panel=panel, specialties=[setting["specialty"]], seed=3
    )
    assert len(draw.picked) == 1
    assert draw.picked[0] not in {m.expert_id for m in panel.members.exclude(draw=draw)}
    excluded = {item["expert"] for item in draw.excluded}
    assert member.expert_id in excluded  # already on the panel
    member.refresh_from_db()
    assert member.replaced
    with pytest.raises(TransitionRefused, match="没有需要替补"):
        services.panel_draw_substitutes(actor=people.bureau, panel=panel, specialties=[setting["specialty"]])


def accept_all(panel):
    members = list(panel.members.all())
    for m in members:
        member_services.member_accept(actor=m.expert.user, member=m, declared=True)
    return members


def score(member, entry, value, ok=True, submit=True):
    criteria = member.panel.criteria.all()
    return member_services.sheet_save(
        actor=member.expert.user,
        member=member,
        entry=entry,
        scores={c.pk: str(value) for c in criteria},
        opinion="材料齐全，条件具备。",
        recommendation="pass" if ok else "fail",
        submit=submit,
    )


def test_sheet_draft_then_submit_locks_it(people, setting):
    panel = form(people, setting)
    member = accept_all(panel)[0]
    entry = panel.panel_bases.get()
    draft = member_services.sheet_save(
        actor=member.expert.user,
        member=member,
        entry=entry,
        scores={},
        opinion="",
        recommendation="",
        submit=False,
    )
    assert draft.total is None and not draft.is_submitted
    with pytest.raises(TransitionRefused, match="请为"):
        member_services.sheet_save(
            actor=member.expert.user,
            member=member,
            entry=entry,
            scores={},
            opinion="x",
            recommendation="pass",
            submit=True,
        )
    with pytest.raises(TransitionRefused, match="0 至 10"):
        score(member, entry, "11")
    sheet = score(member, entry, "8")
    assert sheet.total == Decimal("80.00") and sheet.is_submitted
    with pytest.raises(TransitionRefused, match="已提交"):
        score(member, entry, "9")


def test_art8_2_conclusion_passes_and_an_expert_who_never_submits_does_not_count(people, setting):
    panel = form(people, setting)
    members = accept_all(panel)
    entry = panel.panel_bases.get()
    for member, value, ok in zip(members[:4], ["9", "8", "7", "3"], [True, True, True, False], strict=True):
        score(member, entry, value, ok)
    services.panel_conclude(actor=people.bureau, panel=panel)
    entry.refresh_from_db()
    setting["base"].refresh_from_db()
    assert entry.score == Decimal("67.50")  # 4 sheets: plain mean of 90, 80, 70, 30
    assert entry.outcome == "failed" and setting["base"].status == Status.REJECTED
    assert "低于通过分数线" in entry.conclusion


def test_conclusion_needs_the_minimum_number_of_sheets(people, setting):
    panel = form(people, setting)
    members = accept_all(panel)
    entry = panel.panel_bases.get()
    score(members[0], entry, "9")
    with pytest.raises(TransitionRefused, match="不足 3 份"):
        services.panel_conclude(actor=people.bureau, panel=panel)


def test_conclusion_pass_moves_the_base_to_review_passed(people, setting):
    panel = form(people, setting)
    members = accept_all(panel)
    entry = panel.panel_bases.get()
    for member, value in zip(members, ["9", "8", "8", "7", "2"], strict=True):
        score(member, entry, value, ok=value != "2")
    services.panel_conclude(actor=people.bureau, panel=panel)
    setting["base"].refresh_from_db()
    entry.refresh_from_db()
    assert setting["base"].status == Status.REVIEW_PASSED
    assert entry.score == Decimal("76.67")  # drop 90 and 20: (80 + 80 + 70) / 3
    panel.refresh_from_db()
    assert panel.state == Panel.State.CONCLUDED
    with pytest.raises(TransitionRefused, match="已完成"):
        score(members[0], entry, "9")


def test_template_weights_must_add_up_to_100(people):
    with pytest.raises(TransitionRefused, match="100"):
        services.template_save(
            actor=people.bureau,
            template=None,
            name="新模板",
            purpose="acceptance",
            criteria=[
                {"name": "甲", "weight": "60", "max_score": "10"},
                {"name": "乙", "weight": "30", "max_score": "10"},
            ],
        )
    template = services.template_save(
        actor=people.bureau,
        template=None,
        name="新模板",
        purpose="acceptance",
        criteria=[
            {"name": "甲", "weight": "60", "max_score": "10"},
            {"name": "乙", "weight": "40", "max_score": "5"},
        ],
    )
    assert [c.name for c in template.criteria.all()] == ["甲", "乙"]


def test_the_bureaus_page_concludes_only_with_the_signed_minutes_which_only_the_bureau_reads(
    people, setting, client
):
    """The conclusion rests on the panel meeting's minutes (PDF, checked by content); a host unit reads
    the conclusion on its base's page, the minutes stay with the bureau like the score sheets."""
    from django.urls import reverse

    from tests.uploads import pdf, upload

    panel = form(people, setting)
    members = accept_all(panel)
    entry = panel.panel_bases.get()
    for member, value in zip(members, ["9", "8", "8", "7", "2"], strict=True):
        score(member, entry, value, ok=value != "2")
    client.force_login(people.bureau)
    url = reverse("reviews:panel_conclude", args=[panel.pk])
    detail = reverse("reviews:panel_detail", args=[panel.pk])
    assert 'name="minutes"' in client.get(detail).content.decode()
    page = client.post(url, {}, follow=True).content.decode()
    assert "请上传专家组评审会议纪要（PDF）后再形成结论。" in page
    client.post(url, {"minutes": upload("纪要.pdf", b"not a pdf at all")})
    panel.refresh_from_db()
    assert panel.is_open and panel.minutes is None
    client.post(url, {"minutes": pdf("评审会议纪要.pdf")})
    panel.refresh_from_db()
    assert not panel.is_open and panel.minutes is not None
    minutes_url = reverse("reviews:panel_minutes", args=[panel.pk])
    assert minutes_url in client.get(detail).content.decode()
    assert client.get(minutes_url)["Content-Type"] == "application/pdf"
    client.force_login(people.staff_a)
    assert client.get(minutes_url).status_code == 404
