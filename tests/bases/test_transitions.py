"""Every transition of the application phase (Art. 8-1, 8-2) and revocation: the allowed path, each
guard refusing with its message, and each role that may not run it (in and out of scope)."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django_fsm_log.models import StateLog

from bases import services
from bases.exceptions import ApplicationInvalid, PermissionRefused, StaleState, TransitionRefused
from bases.models import POST_APPROVAL_STATES, Status
from portal.accounts.models import Role
from portal.site.demo.application import fill_complete_application
from portal.workflow.models import TransitionRecord
from tests.factories import PEOPLE, PilotBaseFactory
from tests.uploads import MINIMAL_PDF

pytestmark = pytest.mark.django_db

ACTORS = list(PEOPLE)


def letter():
    return ContentFile(MINIMAL_PDF, name="推荐函.pdf")


# name, source state, target state, the only actors allowed, how to run it
CASES = [
    (
        "submit",
        Status.DRAFT,
        Status.SUBMITTED,
        {"approver_a"},
        lambda a, b: services.base_submit(actor=a, base=b),
    ),
    (
        "submit",
        Status.RETURNED,
        Status.SUBMITTED,
        {"approver_a"},
        lambda a, b: services.base_submit(actor=a, base=b),
    ),
    (
        "supervisor_return",
        Status.SUBMITTED,
        Status.RETURNED,
        {"supervisor_a"},
        lambda a, b: services.base_supervisor_return(actor=a, base=b, reason="请补充材料"),
    ),
    (
        "recommend",
        Status.SUBMITTED,
        Status.RECOMMENDED,
        {"supervisor_a"},
        lambda a, b: services.base_recommend(actor=a, base=b, letter=letter()),
    ),
    (
        "decline",
        Status.SUBMITTED,
        Status.REJECTED,
        {"supervisor_a"},
        lambda a, b: services.base_decline(actor=a, base=b, reason="不符合条件"),
    ),
    (
        "preliminary_pass",
        Status.RECOMMENDED,
        Status.PRELIMINARY_PASSED,
        {"bureau"},
        lambda a, b: services.base_preliminary_pass(actor=a, base=b),
    ),
    (
        "preliminary_return",
        Status.RECOMMENDED,
        Status.RETURNED,
        {"bureau"},
        lambda a, b: services.base_preliminary_return(actor=a, base=b, reason="格式不符"),
    ),
    (
        "preliminary_reject",
        Status.RECOMMENDED,
        Status.REJECTED,
        {"bureau"},
        lambda a, b: services.base_preliminary_reject(actor=a, base=b, reason="不符合第七条"),
    ),
    (
        "withdraw",
        Status.SUBMITTED,
        Status.WITHDRAWN,
        {"approver_a"},
        lambda a, b: services.base_withdraw(actor=a, base=b, reason="暂不申报"),
    ),
    (
        "start_expert_review",
        Status.PRELIMINARY_PASSED,
        Status.EXPERT_REVIEW,
        {"bureau"},
        lambda a, b: services.base_start_expert_review(actor=a, base=b),
    ),
    (
        "review_pass",
        Status.EXPERT_REVIEW,
        Status.REVIEW_PASSED,
        {"bureau"},
        lambda a, b: services.base_conclude_review(actor=a, base=b, passed=True, comment="综合得分82分"),
    ),
    (
        "review_fail",
        Status.EXPERT_REVIEW,
        Status.REJECTED,
        {"bureau"},
        lambda a, b: services.base_conclude_review(actor=a, base=b, passed=False, comment="综合得分61分"),
    ),
    (
        "publish_notice",
        Status.REVIEW_PASSED,
        Status.IN_NOTICE,
        {"bureau"},
        lambda a, b: services.base_publish_notice(actor=a, base=b, notice_title="2026年第一批公示"),
    ),
    (
        "clear_notice",
        Status.IN_NOTICE,
        Status.NOTICE_CLEARED,
        {"bureau"},
        lambda a, b: services.base_clear_notice(actor=a, base=b),
    ),
    (
        "objection_upheld",
        Status.IN_NOTICE,
        Status.REJECTED,
        {"bureau"},
        lambda a, b: services.base_objection_upheld(actor=a, base=b, reason="核实存在安全事故"),
    ),
    (
        "approve",
        Status.NOTICE_CLEARED,
        Status.APPROVED,
        {"bureau"},
        lambda a, b: services.base_approve(
            actor=a, base=b, meeting_on=date(2026, 11, 20), minutes_no="2026-12"
        ),
    ),
    (
        "decision_reject",
        Status.NOTICE_CLEARED,
        Status.REJECTED,
        {"bureau"},
        lambda a, b: services.base_decision_reject(
            actor=a, base=b, meeting_on=date(2026, 11, 20), minutes_no="2026-12", reason="暂缓立项"
        ),
    ),
    (
        "revoke",
        Status.RECOGNIZED,
        Status.REVOKED,
        {"bureau"},
        lambda a, b: services.base_revoke(actor=a, base=b, reason_code="two_consecutive_failures"),
    ),
]


def base_in(state, people):
    base = PilotBaseFactory(host=people.host_a, status=state)
    if state in (Status.DRAFT, Status.RETURNED):
        base = fill_complete_application(actor=people.staff_a, base=base)
    return base


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize(
    ("name", "source", "target", "allowed", "run"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_transition_runs_only_for_its_roles_in_scope(people, actor_name, name, source, target, allowed, run):
    base = base_in(source, people)
    actor = getattr(people, actor_name)
    logs_before = StateLog.objects.for_(base).count()
    if actor_name in allowed:
        run(actor, base)
        base.refresh_from_db()
        assert base.status == target
        log = StateLog.objects.for_(base).order_by("-pk").first()
        assert (log.transition, log.source_state, log.state, log.by) == (name, source, target, actor)
        record = TransitionRecord.objects.get(state_log=log)
        assert (record.actor_role, record.actor_organisation) == (actor.role, actor.organisation)
    else:
        with pytest.raises(PermissionRefused) as refused:
            run(actor, base)
        assert "无权" in refused.value.message
        base.refresh_from_db()
        assert base.status == source
        assert StateLog.objects.for_(base).count() == logs_before


# --- guards -----------------------------------------------------------------------------------------
def test_art8_1_submit_refuses_an_incomplete_application_listing_what_is_missing(people):
    base = PilotBaseFactory(host=people.host_a)
    with pytest.raises(TransitionRefused) as refused:
        services.base_submit(actor=people.approver_a, base=base)
    details = "\n".join(refused.value.details)
    assert "不能提交" in refused.value.message
    assert "未填写“基地负责人”" in details
    assert "基本条件（七）：尚未承诺符合" in details
    assert "技术依托单位：至少填写一家技术依托单位" in details
    base.refresh_from_db()
    assert base.status == Status.DRAFT


def test_art7_submit_requires_evidence_for_every_condition(people):
    base = fill_complete_application(actor=people.staff_a, base=PilotBaseFactory(host=people.host_a))
    base.conditions.get(condition=8).evidence.all().delete()
    with pytest.raises(TransitionRefused) as refused:
        services.base_submit(actor=people.approver_a, base=base)
    assert refused.value.details == ["基本条件（八）：未上传证明材料"]


def test_art7_submit_requires_every_condition_affirmed(people):
    base = fill_complete_application(actor=people.staff_a, base=PilotBaseFactory(host=people.host_a))
    services.condition_affirm(actor=people.staff_a, base=base, condition=7, affirmed=False)
    with pytest.raises(TransitionRefused) as refused:
        services.base_submit(actor=people.approver_a, base=base)
    assert refused.value.details == ["基本条件（七）：尚未承诺符合"]


def test_art18_submit_refuses_a_name_breaking_the_name_rule(people):
    base = fill_complete_application(
        actor=people.staff_a, base=PilotBaseFactory(host=people.host_a, name="华晟新材料研究院")
    )
    with pytest.raises(TransitionRefused) as refused:
        services.base_submit(actor=people.approver_a, base=base)
    assert any("忻州市+研发方向+中试基地" in d for d in refused.value.details)


def test_art3_joint_construction_needs_a_co_builder(people):
    base = fill_complete_application(actor=people.staff_a, base=PilotBaseFactory(host=people.host_a))
    services.base_update(actor=people.staff_a, base=base, data={"construction_mode": "joint"})
    with pytest.raises(TransitionRefused) as refused:
        services.base_submit(actor=people.approver_a, base=base)
    assert refused.value.details == ["建设模式与共建单位：联合共建须至少填写一家共建单位"]


def test_submit_records_first_submission_date(people):
    from datetime import date

    base = base_in(Status.DRAFT, people)
    services.base_submit(actor=people.approver_a, base=base, today=date(2026, 3, 2))
    base.refresh_from_db()
    assert (base.applied_on, base.application_year) == (date(2026, 3, 2), 2026)


@pytest.mark.parametrize(
    ("source", "run"),
    [
        (
            Status.SUBMITTED,
            lambda p, b: services.base_supervisor_return(actor=p.supervisor_a, base=b, reason="  "),
        ),
        (Status.SUBMITTED, lambda p, b: services.base_decline(actor=p.supervisor_a, base=b, reason="")),
        (
            Status.RECOMMENDED,
            lambda p, b: services.base_preliminary_return(actor=p.bureau, base=b, reason=""),
        ),
        (
            Status.RECOMMENDED,
            lambda p, b: services.base_preliminary_reject(actor=p.bureau, base=b, reason=""),
        ),
        (Status.SUBMITTED, lambda p, b: services.base_withdraw(actor=p.approver_a, base=b, reason="")),
    ],
    ids=["supervisor_return", "decline", "preliminary_return", "preliminary_reject", "withdraw"],
)
def test_a_reason_is_required(people, source, run):
    base = PilotBaseFactory(host=people.host_a, status=source)
    with pytest.raises(TransitionRefused) as refused:
        run(people, base)
    assert refused.value.message.startswith("请填写")
    base.refresh_from_db()
    assert base.status == source


def test_art8_1_recommend_requires_a_recommendation_letter(people):
    base = PilotBaseFactory(host=people.host_a, submitted=True)
    with pytest.raises(TransitionRefused) as refused:
        services.base_recommend(actor=people.supervisor_a, base=base, letter=None)
    assert "推荐函" in refused.value.message


def test_art8_1_recommendation_letter_is_kept_on_the_log(people):
    base = PilotBaseFactory(host=people.host_a, submitted=True)
    services.base_recommend(actor=people.supervisor_a, base=base, letter=letter(), comment="同意推荐")
    log = StateLog.objects.for_(base).get(transition="recommend")
    assert log.description == "同意推荐"
    attachment = log.record.attachments.get()
    assert (attachment.purpose, attachment.original_name) == ("recommendation_letter", "推荐函.pdf")
    assert attachment.file.read() == MINIMAL_PDF


def test_revoke_requires_a_known_reason_code(people):
    base = PilotBaseFactory(host=people.host_a, recognized=True)
    with pytest.raises(TransitionRefused) as refused:
        services.base_revoke(actor=people.bureau, base=base, reason_code="")
    assert "撤销原因" in refused.value.message


@pytest.mark.parametrize(
    ("reason", "article_fragment"),
    [
        ("construction_not_accepted", "第八条"),
        ("two_consecutive_failures", "第十六条"),
        ("evaluation_failed", "第十七条"),
        ("bureau_decision", "第四条"),
    ],
)
def test_revocation_records_reason_and_article(people, reason, article_fragment):
    from datetime import date

    base = PilotBaseFactory(host=people.host_a, recognized=True)
    services.base_revoke(
        actor=people.bureau, base=base, reason_code=reason, note="经局党组研究", today=date(2027, 3, 1)
    )
    base.refresh_from_db()
    assert base.status == Status.REVOKED
    assert (base.revocation_reason, base.revoked_on, base.revocation_note) == (
        reason,
        date(2027, 3, 1),
        "经局党组研究",
    )
    assert article_fragment in base.revocation_article
    log = StateLog.objects.for_(base).get(transition="revoke")
    assert log.record.reason_code == reason
    assert log.description == "经局党组研究"
    assert article_fragment in log.record.reason_display()


@pytest.mark.parametrize(
    "state",
    list(POST_APPROVAL_STATES),
)
def test_revoke_is_possible_from_every_post_approval_state(people, state):
    base = PilotBaseFactory(host=people.host_a, status=state)
    services.base_revoke(actor=people.bureau, base=base, reason_code="bureau_decision")
    base.refresh_from_db()
    assert base.status == Status.REVOKED


@pytest.mark.parametrize("state", [Status.DRAFT, Status.SUBMITTED, Status.NOTICE_CLEARED, Status.REJECTED])
def test_revoke_is_refused_before_approval_and_in_terminal_states(people, state):
    base = PilotBaseFactory(host=people.host_a, status=state)
    with pytest.raises(StaleState) as refused:
        services.base_revoke(actor=people.bureau, base=base, reason_code="bureau_decision")
    assert "不能执行“撤销资格”" in refused.value.message


@pytest.mark.parametrize("state", [Status.APPROVED, Status.RECOGNIZED, Status.REJECTED, Status.WITHDRAWN])
def test_withdraw_is_refused_after_the_decision_or_when_terminal(people, state):
    base = PilotBaseFactory(host=people.host_a, status=state)
    with pytest.raises(StaleState):
        services.base_withdraw(actor=people.approver_a, base=base, reason="撤回")


@pytest.mark.parametrize("state", [Status.DRAFT, Status.RETURNED, Status.IN_NOTICE, Status.NOTICE_CLEARED])
def test_withdraw_is_possible_until_the_decision(people, state):
    base = PilotBaseFactory(host=people.host_a, status=state)
    services.base_withdraw(actor=people.approver_a, base=base, reason="单位调整")
    base.refresh_from_db()
    assert base.status == Status.WITHDRAWN


@pytest.mark.parametrize("terminal", [Status.REJECTED, Status.WITHDRAWN, Status.REVOKED, Status.SUPERSEDED])
def test_terminal_states_offer_no_transition_to_anyone(people, terminal):
    """Terminal states end the base's life; the one way back is the admin's correction of an
    erroneous revocation."""
    base = PilotBaseFactory(host=people.host_a, status=terminal)
    for actor_name in ACTORS:
        names = [t.name for t in base.get_available_user_status_transitions(getattr(people, actor_name))]
        expected = ["reinstate"] if terminal == Status.REVOKED and actor_name == "admin" else []
        assert names == expected, actor_name


def test_a_stale_page_gets_a_clear_message(people):
    base = PilotBaseFactory(host=people.host_a, submitted=True)
    services.base_recommend(actor=people.supervisor_a, base=base, letter=letter())
    with pytest.raises(StaleState) as refused:
        services.base_decline(
            actor=people.supervisor_a, base=base, reason="不符合", expected_status=Status.SUBMITTED
        )
    assert "已被他人处理" in refused.value.message
    assert "待初审" in refused.value.message


# --- drafting -----------------------------------------------------------------------------------------
def test_host_staff_create_a_draft_with_rights_for_their_unit_and_supervisor(people):
    base = services.base_create_draft(
        actor=people.staff_a, name="忻州市氢能装备中试基地", rd_direction="氢能装备"
    )
    assert (base.status, base.host, base.supervising_unit) == (
        Status.DRAFT,
        people.host_a,
        people.supervisor_a_org,
    )
    assert base.conditions.count() == 8
    assert people.staff_a.has_perm("bases.change_pilotbase", base)
    assert people.approver_a.has_perm("bases.submit_pilotbase", base)
    assert not people.staff_a.has_perm("bases.submit_pilotbase", base)
    assert people.supervisor_a.has_perm("bases.recommend_pilotbase", base)
    assert not people.supervisor_b.has_perm("bases.view_pilotbase", base)
    assert not people.staff_b.has_perm("bases.view_pilotbase", base)
    log = StateLog.objects.for_(base).get()
    assert (log.transition, log.source_state, log.state, log.by) == ("create", None, "draft", people.staff_a)


@pytest.mark.parametrize("actor_name", ["supervisor_a", "bureau", "admin", "expert"])
def test_only_host_people_create_drafts(people, actor_name):
    with pytest.raises(PermissionRefused):
        services.base_create_draft(
            actor=getattr(people, actor_name),
            host=people.host_a,
            name="忻州市氢能中试基地",
            rd_direction="氢能",
        )


def test_host_people_cannot_create_drafts_for_another_unit(people):
    with pytest.raises(PermissionRefused):
        services.base_create_draft(
            actor=people.staff_a, host=people.host_b, name="忻州市氢能中试基地", rd_direction="氢能"
        )


def test_art18_name_rule_is_checked_on_every_name_entry(people):
    with pytest.raises(ApplicationInvalid) as refused:
        services.base_create_draft(actor=people.staff_a, name="氢能装备中试基地", rd_direction="氢能装备")
    assert "name" in refused.value.field_errors
    base = services.base_create_draft(
        actor=people.staff_a, name="忻州市氢能装备中试基地", rd_direction="氢能装备"
    )
    with pytest.raises(ApplicationInvalid) as refused:
        services.base_update(actor=people.staff_a, base=base, data={"name": "忻州市氢能中试中心"})
    assert "忻州市+研发方向+中试基地" in refused.value.field_errors["name"]
    base.refresh_from_db()
    assert base.name == "忻州市氢能装备中试基地"


@pytest.mark.parametrize("state", [Status.SUBMITTED, Status.RECOMMENDED, Status.RECOGNIZED, Status.REJECTED])
def test_editing_only_in_draft_or_returned(people, state):
    base = PilotBaseFactory(host=people.host_a, status=state)
    with pytest.raises(TransitionRefused) as refused:
        services.base_update(actor=people.staff_a, base=base, data={"summary": "新的简介"})
    assert "不可修改" in refused.value.message


@pytest.mark.parametrize("actor_name", ["staff_b", "approver_b", "supervisor_a", "bureau", "expert"])
def test_only_the_host_unit_edits_its_application(people, actor_name):
    base = PilotBaseFactory(host=people.host_a)
    with pytest.raises(PermissionRefused):
        services.base_update(actor=getattr(people, actor_name), base=base, data={"summary": "改动"})


def test_bad_rows_are_all_reported_and_nothing_is_written(people):
    base = PilotBaseFactory(host=people.host_a)
    services.base_replace_rows(
        actor=people.staff_a, base=base, relation="co_builders", rows=[{"name": "甲公司", "role": "加工"}]
    )
    with pytest.raises(ApplicationInvalid) as refused:
        services.base_replace_rows(
            actor=people.staff_a,
            base=base,
            relation="co_builders",
            rows=[{"name": "乙公司", "role": "试验", "uscc": "911409001234567890"}, {"name": "", "role": ""}],
        )
    text = refused.value.field_errors["co_builders"]
    assert "第1行" in text and "统一社会信用代码无效" in text and "第2行" in text
    assert list(base.co_builders.values_list("name", flat=True)) == ["甲公司"]


def test_supervisor_move_takes_the_bases_and_rights_along(people):
    from portal.accounts.services import organisation_change_supervisor

    base = PilotBaseFactory(host=people.host_a, submitted=True)
    organisation_change_supervisor(host_unit=people.host_a, supervising_unit=people.supervisor_b_org)
    base.refresh_from_db()
    assert base.supervising_unit == people.supervisor_b_org
    assert people.supervisor_b.has_perm("bases.recommend_pilotbase", base)
    assert not people.supervisor_a.has_perm("bases.view_pilotbase", base)


def test_role_of_the_bureau_is_a_global_right_not_an_object_one(people):
    base = PilotBaseFactory(host=people.host_b, recommended=True)
    assert people.bureau.has_perm("bases.review_pilotbase")
    assert not people.admin.has_perm("bases.review_pilotbase")
    services.base_preliminary_pass(actor=people.bureau, base=base)
    base.refresh_from_db()
    assert base.status == Status.PRELIMINARY_PASSED


def test_roles_are_named_in_chinese():
    assert Role.SUPERVISOR.label == "归口管理单位"
    assert Status.RECOGNIZED.label == "已认定"


# --- expert review, notice, decision (Art. 8-2, 8-3) --------------------------------------------------
def test_art8_3_approval_records_the_meeting_and_its_date(people):
    base = PilotBaseFactory(host=people.host_a, status=Status.NOTICE_CLEARED)
    services.base_approve(
        actor=people.bureau,
        base=base,
        meeting_on=date(2026, 11, 20),
        minutes_no="2026-12",
        today=date(2026, 11, 29),
    )
    base.refresh_from_db()
    assert (base.status, base.approved_on) == (Status.APPROVED, date(2026, 11, 20))
    log = StateLog.objects.for_(base).get(transition="approve")
    assert "2026-11-20" in log.description and "2026-12" in log.description


def test_art8_3_approval_needs_the_meeting_date_and_minutes(people):
    base = PilotBaseFactory(host=people.host_a, status=Status.NOTICE_CLEARED)
    with pytest.raises(TransitionRefused, match="纪要编号"):
        services.base_approve(actor=people.bureau, base=base, meeting_on=date(2026, 11, 20), minutes_no=" ")
    with pytest.raises(TransitionRefused, match="不能晚于今天"):
        services.base_approve(
            actor=people.bureau,
            base=base,
            meeting_on=date(2026, 12, 1),
            minutes_no="2026-12",
            today=date(2026, 11, 29),
        )
    base.refresh_from_db()
    assert base.status == Status.NOTICE_CLEARED


@pytest.mark.parametrize(
    ("source", "run"),
    [
        (
            Status.EXPERT_REVIEW,
            lambda p, b: services.base_conclude_review(actor=p.bureau, base=b, passed=False),
        ),
        (Status.IN_NOTICE, lambda p, b: services.base_objection_upheld(actor=p.bureau, base=b, reason="")),
        (
            Status.NOTICE_CLEARED,
            lambda p, b: services.base_decision_reject(
                actor=p.bureau, base=b, meeting_on=date(2026, 11, 20), minutes_no="1", reason=""
            ),
        ),
    ],
    ids=["review_fail", "objection_upheld", "decision_reject"],
)
def test_negative_outcomes_need_a_reason(people, source, run):
    base = PilotBaseFactory(host=people.host_a, status=source)
    with pytest.raises(TransitionRefused, match="请填写"):
        run(people, base)
    base.refresh_from_db()
    assert base.status == source


def test_a_scheduled_rule_may_close_a_notice_and_is_named_in_the_log(people):
    base = PilotBaseFactory(host=people.host_a, status=Status.IN_NOTICE)
    services.base_clear_notice(actor=None, base=base, actor_label="定时规则：公示期满自动关闭")
    log = StateLog.objects.for_(base).get(transition="clear_notice")
    assert log.by is None
    assert log.record.actor_display() == "定时规则：公示期满自动关闭"


def test_an_automatic_step_must_name_its_rule(people):
    base = PilotBaseFactory(host=people.host_a, status=Status.IN_NOTICE)
    with pytest.raises(ValueError, match="actor_label"):
        services.base_clear_notice(actor=None, base=base)
