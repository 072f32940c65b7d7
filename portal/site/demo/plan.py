"""The demo's bases: one in every state the portal implements, each taken there step by step through
the services (application, recommendation, preliminary review, expert review, public notice, decision,
construction, acceptance, re-recognition), as the people of each role would through the screens."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.utils import timezone

from bases import services
from bases.jobs import revoke_unaccepted_after_extension
from bases.models import PilotBase
from bases.policy import RevocationReason
from portal.accounts.models import Role, User
from portal.site.demo import construction
from portal.site.demo.application import DEMO_PDF, fill_complete_application
from portal.site.demo.panels import establishment_panel, score_and_conclude
from reviews.models import ChecklistItem, Decision, MeetingOutcome, PublicNotice
from reviews.services import notices as notice_services
from reviews.services.decisions import meeting_record
from reviews.services.preliminary import (
    preliminary_check_conclude,
    preliminary_check_open,
    preliminary_check_save,
)

PASSED = ["submit", "recommend", "preliminary_pass"]
REVIEWED = [*PASSED, "start_expert_review", "review_pass"]
DECIDED = [*REVIEWED, "publish_notice", "clear_notice"]
DEMO_MINUTES = "演示-2026-1"

# One base per state reachable so far (name, research direction, the demo user who files it, its
# steps); later states add later bases.
PLAN = [
    ("忻州市先进碳材料中试基地", "先进碳材料", "host", []),
    ("忻州市高性能合金中试基地", "高性能合金", "host", ["submit"]),
    ("忻州市储能材料中试基地", "储能材料", "host", ["submit", "supervisor_return"]),
    ("忻州市特种陶瓷中试基地", "特种陶瓷", "host", ["submit", "recommend"]),
    ("忻州市光伏材料中试基地", "光伏材料", "host", ["submit", "recommend", "preliminary_pass"]),
    ("忻州市磁性材料中试基地", "磁性材料", "host", ["submit", "recommend", "preliminary_return"]),
    ("忻州市杂粮深加工中试基地", "杂粮深加工", "host2", ["submit"]),
    ("忻州市功能食品中试基地", "功能食品", "host2", ["submit", "decline"]),
    (
        "忻州市中药材提取中试基地",
        "中药材提取",
        "host2",
        ["submit", "recommend", "preliminary_reject"],
    ),
    ("忻州市锻造装备中试基地", "锻造装备", "host3", ["withdraw"]),
    ("忻州市石墨烯中试基地", "石墨烯", "host", [*PASSED, "start_expert_review"]),
    (
        "忻州市小杂粮饮品中试基地",
        "小杂粮饮品",
        "host2",
        [*PASSED, "start_expert_review", "review_pass"],
    ),
    ("忻州市精密铸造中试基地", "精密铸造", "host3", [*REVIEWED, "publish_notice"]),
    ("忻州市氢能储运中试基地", "氢能储运", "host", [*REVIEWED, "publish_notice", "clear_notice"]),
    (
        "忻州市生物基材料中试基地",
        "生物基材料",
        "host",
        [*REVIEWED, "publish_notice", "clear_notice", "approve"],
    ),
    # after approval; "approve:N" = approved N days ago
    (
        "忻州市半导体封装材料中试基地",
        "半导体封装材料",
        "host",
        [*DECIDED, "approve:300", "task_book"],
    ),
    (
        "忻州市高纯石英中试基地",
        "高纯石英",
        "host",
        [*DECIDED, "approve:740", "task_book", "acceptance"],
    ),
    (
        "忻州市煤基新材料中试基地",
        "煤基新材料",
        "host",
        [*DECIDED, "approve:750", "task_book", "acceptance", "accept:pass", "disburse"],
    ),
    (
        "忻州市农产品冷链中试基地",
        "农产品冷链",
        "host2",
        [*DECIDED, "approve:745", "task_book", "acceptance", "accept:fail"],
    ),
    (
        "忻州市锻压装备中试基地",
        "锻压装备",
        "host3",
        [*DECIDED, "approve:760", "task_book", "acceptance", "accept:pass", "legal_entity"],
    ),
    # Art. 8-4: the acceptance panel is formed and has not concluded yet (验收评审中)
    (
        "忻州市环保装备中试基地",
        "环保装备",
        "host3",
        [*DECIDED, "approve:735", "task_book", "acceptance", "accept:open"],
    ),
    # Art. 14: after its host unit changed, the base was recognised again; the old record is
    # superseded by the new one (已重新认定)
    (
        "忻州市智能焊接中试基地",
        "智能焊接",
        "host2",
        [
            *DECIDED,
            "approve:770",
            "task_book",
            "acceptance",
            "accept:pass",
            "legal_entity",
            "re_recognise",
        ],
    ),
    # Art. 8-4: an acceptance application left as a draft past the window holds nothing — the
    # daily job revokes the base (its log names the rule)
    (
        "忻州市稀土永磁中试基地",
        "稀土永磁",
        "host3",
        [*DECIDED, "approve:800", "task_book", "acceptance_draft", "daily_rule"],
    ),
]


def bases(u) -> int:
    """Create the plan's bases not there yet, each taken through its steps; return how many."""
    made = 0
    for name, direction, owner, steps in PLAN:
        staff = u[owner]
        if PilotBase.objects.filter(name=name, host=staff.organisation).exists():
            continue
        approver = u[f"{owner}_approver"]
        supervisor = User.objects.filter(
            organisation=staff.organisation.supervising_unit, role=Role.SUPERVISOR
        ).first()
        base = services.base_create_draft(actor=staff, name=name, rd_direction=direction)
        if steps:
            base = fill_complete_application(actor=staff, base=base, joint=direction == "特种陶瓷")
        for step in steps:
            take_step(step, base, approver, supervisor, u["bureau"])
        made += 1
    return made


def take_step(step, base, approver, supervisor, bureau):
    s = services
    if step == "submit":
        s.base_submit(actor=approver, base=base)
    elif step == "supervisor_return":
        s.base_supervisor_return(actor=supervisor, base=base, reason="请补充近三年财务审计报告。")
    elif step == "recommend":
        letter = ContentFile(DEMO_PDF, name="推荐函.pdf")
        s.base_recommend(actor=supervisor, base=base, letter=letter, comment="同意推荐。")
    elif step == "decline":
        s.base_decline(actor=supervisor, base=base, reason="核心技术尚不具备行业引领性。")
    elif step == "preliminary_pass":
        _checklist(bureau, base, Decision.PASS, {}, "形式审查合格。")
    elif step == "preliminary_return":
        problems = {ChecklistItem.EQUIPMENT: "设备清单缺少计量检定证书。"}
        _checklist(bureau, base, Decision.RETURN, problems, "请补充后重新提交。")
    elif step == "preliminary_reject":
        problems = {ChecklistItem.ENVIRONMENT: "环评批复已过期，不符合第七条第（七）项。"}
        _checklist(bureau, base, Decision.REJECT, problems, "不符合环保要求，初审不通过。")
    elif step == "withdraw":
        s.base_withdraw(actor=approver, base=base, reason="单位战略调整，暂不申报。")
    elif step == "start_expert_review":
        establishment_panel(bureau, base)
    elif step == "review_pass":
        score_and_conclude(bureau, base)
    elif step == "publish_notice":
        _notice(bureau, base)
    elif step == "clear_notice":
        notice = PublicNotice.objects.get(entries__base=base)
        notice_services.notice_close(actor=bureau, notice=notice)
    elif step.startswith("approve:"):
        held_on = timezone.localdate() - timedelta(days=int(step.split(":")[1]))
        # The demo's application went in the year of its (back-dated) decision, not the seeding day.
        PilotBase.objects.filter(pk=base.pk).update(application_year=held_on.year)
        meeting_record(
            actor=bureau,
            held_on=held_on,
            minutes_no=f"演示-{held_on:%Y%m%d}-{base.pk}",
            decisions={base.pk: (MeetingOutcome.APPROVE, "")},
            minutes=SimpleUploadedFile("局党组会议纪要.pdf", DEMO_PDF, "application/pdf"),
        )
    elif step in ("task_book", "acceptance", "legal_entity"):
        construction.filing(step, base, approver, supervisor, bureau)
    elif step == "acceptance_draft":
        construction.acceptance_draft(base)
    elif step == "daily_rule":
        revoke_unaccepted_after_extension(as_of=timezone.localdate())
    elif step == "accept:open":
        construction.acceptance_panel_formed(bureau, base)
    elif step == "re_recognise":
        _re_recognise(base, approver, supervisor, bureau)
    elif step.startswith("accept:"):
        construction.acceptance_panel(bureau, base, passed=step.endswith("pass"))
    elif step == "disburse":
        construction.disburse(bureau, base)
    elif step == "approve":
        meeting_record(
            actor=bureau,
            held_on=timezone.localdate(),
            minutes_no=DEMO_MINUTES,
            decisions={base.pk: (MeetingOutcome.APPROVE, "")},
            minutes=SimpleUploadedFile("局党组会议纪要.pdf", DEMO_PDF, "application/pdf"),
        )
    elif step == "revoke":
        s.base_revoke(actor=bureau, base=base, reason_code=RevocationReason.BUREAU_DECISION)
    else:
        raise CommandError(f"unknown demo step {step}")


def _checklist(bureau, base, decision, problems, comment):
    """The bureau's preliminary review on its checklist (Art. 8-2), as a person would run it."""
    check = preliminary_check_open(actor=bureau, base=base)
    items = {key: (key not in problems, problems.get(key, "")) for key in ChecklistItem.values}
    preliminary_check_save(actor=bureau, check=check, items=items, comment=comment)
    preliminary_check_conclude(actor=bureau, check=check, decision=decision, comment=comment)


def _notice(bureau, base) -> PublicNotice:
    """Art. 8-3: a notice of 7 working days. The base that stays in notice gets a running notice
    with one objection waiting; the others' notices ran a month ago, so they can be closed."""
    today = timezone.localdate()
    start = today if base.name == "忻州市精密铸造中试基地" else today - timedelta(days=40)
    notice = notice_services.notice_publish(
        actor=bureau,
        title=f"{start.year}年度忻州市中试基地拟立项建设名单公示（{base.rd_direction}）",
        body="经依托单位申请、归口管理单位推荐、市科技局初审和专家评审，拟同意下列基地立项建设，现予公示。",
        starts_on=start,
        working_days=7,
        bases=[base],
        contact="市科技局成果转化科 0350-0000000",
        today=start,
    )
    if start == today:
        notice_services.objection_lodge(
            notice=notice,
            entry_id=notice.entries.get().pk,
            name="王建国",
            organisation="某铸造企业",
            phone="13900000000",
            email="",
            content="该基地申报的部分中试设备系租赁所得，与申请书所述自有设备不符，请核查。",
        )
    return notice


def _re_recognise(base, approver, supervisor, bureau) -> None:
    """Art. 14: the host starts the re-recognition after the change; it is recommended, reviewed,
    publicly noticed and decided like an application, and the old record is superseded."""
    base.refresh_from_db()
    staff = User.objects.filter(organisation=base.host, role=Role.BASE_STAFF).first()
    successor = services.base_start_re_recognition(actor=staff, predecessor=base)
    # The evidence of the conditions is filed anew for the new host unit (Art. 7, 14).
    successor = fill_complete_application(actor=staff, base=successor)
    for step in [*DECIDED, "approve:0"]:
        take_step(step, successor, approver, supervisor, bureau)
