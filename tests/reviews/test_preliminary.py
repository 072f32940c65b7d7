"""The bureau's preliminary review (Art. 8-2): the checklist, its conclusions and their refusals,
and the notes the host sees at the right section of the application."""

import pytest
from django.core.files.base import ContentFile
from django_fsm_log.models import StateLog

from bases import services as base_services
from bases.exceptions import PermissionRefused, StaleState, TransitionRefused
from bases.models import Status
from portal.site.demo.application import fill_complete_application
from reviews.models import CHECKLIST_SECTIONS, ChecklistItem, Decision, PreliminaryCheck
from reviews.selectors import preliminary_check_for, preliminary_checks_for, preliminary_notes_for
from reviews.services import preliminary as services
from tests.factories import PilotBaseFactory
from tests.uploads import MINIMAL_PDF

pytestmark = pytest.mark.django_db


def all_ok() -> dict:
    return dict.fromkeys(ChecklistItem.values, (True, ""))


NOT_BUREAU = ["staff_a", "approver_a", "supervisor_a", "supervisor_b", "staff_b", "admin", "expert"]

FINANCES = ChecklistItem.FINANCES.label
ENVIRONMENT = ChecklistItem.ENVIRONMENT.label


@pytest.fixture
def base(people):
    return PilotBaseFactory(host=people.host_a, recommended=True)


@pytest.fixture
def check(people, base):
    return services.preliminary_check_open(actor=people.bureau, base=base)


def last_log(base):
    return StateLog.objects.for_(base).order_by("-pk").first()


# --- opening a round --------------------------------------------------------------------------------
def test_art8_2_bureau_opens_a_round_with_every_item_unchecked(people, base):
    check = services.preliminary_check_open(actor=people.bureau, base=base)
    assert (check.round, check.reviewer, check.decision, check.concluded_at) == (1, people.bureau, "", None)
    items = list(check.items.all())
    assert [i.key for i in items] == list(CHECKLIST_SECTIONS)
    assert len(items) == len(ChecklistItem.values) == 12
    assert all(i.ok is None and i.note == "" for i in items)
    assert {i.key: i.section for i in items} == CHECKLIST_SECTIONS
    assert preliminary_check_for(base) == check


def test_every_checklist_item_points_at_a_section_of_the_application():
    from bases.completeness import SECTIONS

    assert set(CHECKLIST_SECTIONS) == set(ChecklistItem.values)
    assert set(CHECKLIST_SECTIONS.values()) == {s.key for s in SECTIONS}


def test_opening_again_returns_the_open_round(people, base, check):
    again = services.preliminary_check_open(actor=people.bureau, base=base)
    assert again == check
    assert PreliminaryCheck.objects.filter(base=base).count() == 1


@pytest.mark.parametrize(
    "state", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PRELIMINARY_PASSED]
)
def test_a_round_opens_only_for_a_recommended_base(people, state):
    base = PilotBaseFactory(host=people.host_a, status=state)
    with pytest.raises(TransitionRefused) as refused:
        services.preliminary_check_open(actor=people.bureau, base=base)
    assert "不在初审阶段" in refused.value.message
    assert not PreliminaryCheck.objects.filter(base=base).exists()


@pytest.mark.parametrize("actor_name", NOT_BUREAU)
def test_only_the_bureau_opens_a_round(people, base, actor_name):
    with pytest.raises(PermissionRefused) as refused:
        services.preliminary_check_open(actor=getattr(people, actor_name), base=base)
    assert "市科技局" in refused.value.message
    assert not PreliminaryCheck.objects.filter(base=base).exists()


# --- the draft ------------------------------------------------------------------------------------
def test_saving_the_checklist_keeps_every_mark_and_note(people, check):
    services.preliminary_check_save(
        actor=people.bureau,
        check=check,
        items={"complete": (True, ""), "finances": (False, " 缺少近三年审计报告 ")},
        comment="请补充材料",
    )
    services.preliminary_check_save(actor=people.bureau, check=check, items={"safety": (None, "待核实")})
    items = {i.key: (i.ok, i.note) for i in check.items.all()}
    assert items["complete"] == (True, "")
    assert items["finances"] == (False, "缺少近三年审计报告")
    assert items["safety"] == (None, "待核实")
    assert items["director"] == (None, "")
    check.refresh_from_db()
    assert (check.comment, check.concluded_at) == ("请补充材料", None)


def test_saving_an_unknown_item_is_a_programming_error(people, check):
    with pytest.raises(ValueError):
        services.preliminary_check_save(actor=people.bureau, check=check, items={"nonsense": (True, "")})


@pytest.mark.parametrize("actor_name", NOT_BUREAU)
def test_only_the_bureau_saves_the_checklist(people, check, actor_name):
    with pytest.raises(PermissionRefused):
        services.preliminary_check_save(
            actor=getattr(people, actor_name), check=check, items={"complete": (False, "改动")}
        )
    assert check.items.get(key="complete").ok is None


# --- pass -----------------------------------------------------------------------------------------
def test_art8_2_pass_moves_the_base_on_and_concludes_the_round(people, base, check):
    services.preliminary_check_save(actor=people.bureau, check=check, items=all_ok())
    services.preliminary_check_conclude(
        actor=people.bureau,
        check=check,
        decision="pass",
        comment="形式审查合格",
        expected_status="recommended",
    )
    base.refresh_from_db()
    check.refresh_from_db()
    assert base.status == Status.PRELIMINARY_PASSED
    assert (check.decision, check.comment) == (Decision.PASS, "形式审查合格")
    assert check.concluded_at is not None
    log = last_log(base)
    assert (log.transition, log.source_state, log.state, log.by) == (
        "preliminary_pass",
        Status.RECOMMENDED,
        Status.PRELIMINARY_PASSED,
        people.bureau,
    )
    assert log.description == "形式审查合格"
    assert preliminary_check_for(base) is None
    assert preliminary_notes_for(base) == {}


def test_pass_with_an_unchecked_or_failed_item_lists_them(people, base, check):
    items = all_ok()
    items["finances"] = (None, "")
    items["environment"] = (False, "环评批复过期")
    services.preliminary_check_save(actor=people.bureau, check=check, items=items)
    with pytest.raises(TransitionRefused) as refused:
        services.preliminary_check_conclude(actor=people.bureau, check=check, decision="pass")
    assert "全部检查项均确认符合" in refused.value.message
    assert refused.value.details == [f"{FINANCES}（未检查）", f"{ENVIRONMENT}（不符合）"]
    base.refresh_from_db()
    check.refresh_from_db()
    assert base.status == Status.RECOMMENDED
    assert (check.decision, check.concluded_at) == ("", None)


def test_pass_of_a_fresh_round_lists_every_item(people, check):
    with pytest.raises(TransitionRefused) as refused:
        services.preliminary_check_conclude(actor=people.bureau, check=check, decision="pass")
    assert len(refused.value.details) == 12


# --- return ---------------------------------------------------------------------------------------
def _return_with_notes(people, check, comment="请按意见修改后重新提交。"):
    items = all_ok()
    items["finances"] = (False, "缺少近三年审计报告")
    items["environment"] = (False, "环评批复已过期")
    items["name_rule"] = (False, "")
    services.preliminary_check_save(actor=people.bureau, check=check, items=items)
    return services.preliminary_check_conclude(
        actor=people.bureau, check=check, decision="return", comment=comment, expected_status="recommended"
    )


def test_art8_2_return_sends_the_failed_items_notes_to_the_host(people, base, check):
    _return_with_notes(people, check)
    base.refresh_from_db()
    check.refresh_from_db()
    assert base.status == Status.RETURNED
    assert check.decision == Decision.RETURN
    log = last_log(base)
    assert (log.transition, log.state, log.by) == ("preliminary_return", Status.RETURNED, people.bureau)
    assert log.description.splitlines() == [
        f"【{ChecklistItem.NAME_RULE.label}】不符合要求",
        f"【{FINANCES}】缺少近三年审计报告",
        f"【{ENVIRONMENT}】环评批复已过期",
        "请按意见修改后重新提交。",
    ]
    assert base.is_editable


def test_return_notes_reach_the_host_at_their_sections(people, base, check):
    _return_with_notes(people, check)
    notes = preliminary_notes_for(base)
    assert notes == {
        "basic": [(ChecklistItem.NAME_RULE.label, "不符合要求")],
        "finances": [(FINANCES, "缺少近三年审计报告")],
        "conditions": [(ENVIRONMENT, "环评批复已过期")],
    }
    # the host reaches the same base through its own scope
    from bases.selectors import base_list_for

    assert base_list_for(people.staff_a).get(pk=base.pk) == base


def test_return_with_only_a_comment_is_allowed(people, base, check):
    services.preliminary_check_conclude(
        actor=people.bureau, check=check, decision="return", comment="申请书格式不规范，请使用最新模板。"
    )
    base.refresh_from_db()
    assert base.status == Status.RETURNED
    assert last_log(base).description == "申请书格式不规范，请使用最新模板。"
    assert preliminary_notes_for(base) == {}


@pytest.mark.parametrize(
    "items",
    [{}, {"finances": (False, "")}, {"finances": (True, "仅供参考的说明")}],
    ids=["nothing", "failed-without-note", "note-on-a-passed-item"],
)
def test_return_needs_a_failed_item_with_a_note_or_a_comment(people, base, check, items):
    services.preliminary_check_save(actor=people.bureau, check=check, items=items)
    with pytest.raises(TransitionRefused) as refused:
        services.preliminary_check_conclude(actor=people.bureau, check=check, decision="return", comment="  ")
    assert "退回修改须" in refused.value.message
    base.refresh_from_db()
    assert base.status == Status.RECOMMENDED
    assert PreliminaryCheck.objects.get(pk=check.pk).is_open


# --- reject ---------------------------------------------------------------------------------------
def test_art8_2_reject_records_the_reasons(people, base, check):
    services.preliminary_check_conclude(
        actor=people.bureau, check=check, decision="reject", comment="不符合第七条基本条件"
    )
    base.refresh_from_db()
    check.refresh_from_db()
    assert base.status == Status.REJECTED
    assert (check.decision, check.comment) == (Decision.REJECT, "不符合第七条基本条件")
    log = last_log(base)
    assert (log.transition, log.state, log.description) == (
        "preliminary_reject",
        Status.REJECTED,
        "不符合第七条基本条件",
    )


def test_reject_needs_a_comment(people, base, check):
    services.preliminary_check_save(
        actor=people.bureau, check=check, items={"safety": (False, "发生过安全事故")}
    )
    with pytest.raises(TransitionRefused) as refused:
        services.preliminary_check_conclude(actor=people.bureau, check=check, decision="reject", comment="")
    assert "不通过的理由" in refused.value.message
    base.refresh_from_db()
    assert base.status == Status.RECOMMENDED


# --- refusals common to every conclusion ----------------------------------------------------------
@pytest.mark.parametrize("decision", Decision.values)
@pytest.mark.parametrize("actor_name", NOT_BUREAU)
def test_only_the_bureau_concludes(people, base, check, actor_name, decision):
    services.preliminary_check_save(actor=people.bureau, check=check, items=all_ok())
    with pytest.raises(PermissionRefused):
        services.preliminary_check_conclude(
            actor=getattr(people, actor_name), check=check, decision=decision, comment="意见"
        )
    base.refresh_from_db()
    assert base.status == Status.RECOMMENDED
    assert PreliminaryCheck.objects.get(pk=check.pk).is_open


def test_an_unknown_decision_is_refused(people, check):
    with pytest.raises(TransitionRefused) as refused:
        services.preliminary_check_conclude(actor=people.bureau, check=check, decision="maybe", comment="x")
    assert "初审结论" in refused.value.message


def test_a_concluded_round_cannot_be_changed_or_concluded_again(people, base, check):
    services.preliminary_check_conclude(actor=people.bureau, check=check, decision="reject", comment="不符合")
    with pytest.raises(StaleState) as refused:
        services.preliminary_check_conclude(actor=people.bureau, check=check, decision="return", comment="改")
    assert "已由他人完成" in refused.value.message
    with pytest.raises(StaleState):
        services.preliminary_check_save(actor=people.bureau, check=check, items={"complete": (True, "")})
    check.refresh_from_db()
    assert check.decision == Decision.REJECT


def test_a_stale_page_gets_a_clear_message(people, base, check):
    with pytest.raises(StaleState) as refused:
        services.preliminary_check_conclude(
            actor=people.bureau, check=check, decision="reject", comment="x", expected_status="submitted"
        )
    assert "已被他人处理" in refused.value.message


def test_a_withdrawn_base_cannot_be_concluded_and_its_round_is_not_offered(people, base, check):
    base_services.base_withdraw(actor=people.approver_a, base=base, reason="暂不申报")
    base.refresh_from_db()
    with pytest.raises(StaleState):
        services.preliminary_check_conclude(actor=people.bureau, check=check, decision="reject", comment="x")
    check.refresh_from_db()
    assert (check.decision, check.concluded_at) == ("", None)
    assert preliminary_check_for(base) is None


# --- a second round ---------------------------------------------------------------------------------
def test_a_resubmitted_base_gets_a_clean_second_round(people, base, check):
    _return_with_notes(people, check)
    base = fill_complete_application(actor=people.staff_a, base=base)
    base_services.base_submit(actor=people.approver_a, base=base)
    base_services.base_recommend(
        actor=people.supervisor_a, base=base, letter=ContentFile(MINIMAL_PDF, name="推荐函.pdf")
    )
    base.refresh_from_db()
    assert base.status == Status.RECOMMENDED

    second = services.preliminary_check_open(actor=people.bureau, base=base)
    assert second.round == 2
    assert second.pk != check.pk
    assert all(i.ok is None and i.note == "" for i in second.items.all())
    assert second.comment == ""
    # the first round's notes stay in view until the second round concludes
    assert "finances" in preliminary_notes_for(base)
    assert [c.round for c in preliminary_checks_for(base)] == [2, 1]

    services.preliminary_check_save(actor=people.bureau, check=second, items=all_ok())
    services.preliminary_check_conclude(actor=people.bureau, check=second, decision="pass")
    base.refresh_from_db()
    assert base.status == Status.PRELIMINARY_PASSED
    assert preliminary_notes_for(base) == {}
