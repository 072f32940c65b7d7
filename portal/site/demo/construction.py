"""The demo's construction after approval: the task book, the acceptance and the change filed by the
host and approved up the line, the acceptance panel, and the award disbursed and spent."""

from datetime import timedelta

from django.utils import timezone

from bases.services import filings as filing_services
from bases.services import funds as fund_services
from portal.accounts.models import Role, User
from portal.site.demo.panels import drawn_panel, scored_panel
from reviews.models import Panel


def filing(kind, base, approver, supervisor, bureau) -> None:
    """The host files, its approver submits, the supervisor approves, the bureau approves — dated
    so that the demo's construction clock is where the plan says."""
    base.refresh_from_db()
    staff = User.objects.filter(organisation=base.host, role=Role.BASE_STAFF).first()
    if kind == "task_book":
        today = base.approved_on + timedelta(days=20)
        data = {
            "goals": "建成中试线一条，形成年中试验证能力 20 项。",
            "construction_content": "中试车间改造、关键设备购置安装与调试、检测平台建设。",
            "staffing": "基地负责人 1 名，技术骨干 12 名，新增技术工人 6 名。",
            "equipment_plan": "连续化反应装置一套，在线检测系统一套。",
            "expected_outputs": "完成中试项目 10 项，申请发明专利 5 件，服务企业 20 家。",
        }
        milestones = [
            {
                "year": base.approved_on.year,
                "content": "完成车间改造和设备招标。",
                "self_raised_wan": 300,
            },
            {
                "year": base.approved_on.year + 1,
                "content": "设备安装调试，开展首批中试。",
                "self_raised_wan": 500,
            },
        ]
        kind_key = "task-book"
    elif kind == "acceptance":
        today = min(base.construction_deadline + timedelta(days=5), timezone.localdate())
        data = {
            "summary": "任务书确定的年度建设任务已全部完成。",
            "outputs": "完成中试项目 12 项，申请发明专利 6 件。",
            "fund_usage": "自筹资金 800 万元全部到位并按计划使用。",
        }
        milestones, kind_key = None, "acceptance"
    else:
        today = timezone.localdate()
        data = {"kind": "legal_entity", "report": "依托单位完成股份制改革，法人主体变更。"}
        milestones, kind_key = None, "change"
    filed = filing_services.filing_create(
        actor=staff, base=base, kind=kind_key, data=data, milestones=milestones, today=today
    )
    filing_services.filing_step(actor=approver, filing=filed, action="submit", today=today)
    filing_services.filing_step(actor=supervisor, filing=filed, action="supervisor_approve", today=today)
    if kind != "acceptance":
        filing_services.filing_step(actor=bureau, filing=filed, action="approve", today=today)


def acceptance_draft(base) -> None:
    """Art. 8-4: the host starts its acceptance application on the last day of construction and
    leaves it a draft."""
    base.refresh_from_db()
    filing_services.filing_create(
        actor=User.objects.filter(organisation=base.host, role=Role.BASE_STAFF).first(),
        base=base,
        kind="acceptance",
        data={"summary": "建设任务基本完成，材料整理中。", "outputs": "", "fund_usage": ""},
        today=base.construction_deadline,
    )


def acceptance_panel(bureau, base, passed: bool) -> None:
    """Art. 8-4: an acceptance panel of three drawn experts scores the base and concludes."""
    base.refresh_from_db()
    scored_panel(
        bureau,
        base,
        purpose="acceptance",
        title=f"{base.name}验收",
        seed=20260201 + base.pk,
        score="9" if passed else "5",
        opinion="建设任务完成，建议通过验收。" if passed else "主要建设任务未完成，建议不予通过。",
        recommendation="pass" if passed else "fail",
    )


def acceptance_panel_formed(bureau, base) -> Panel:
    """Art. 8-4: the bureau forms the acceptance panel; the experts have not scored yet."""
    base.refresh_from_db()
    title = f"{base.name}验收"
    return drawn_panel(
        bureau, base, purpose="acceptance", title=title, days=10, count=3, seed=20260501 + base.pk
    )


def disburse(bureau, base) -> None:
    """The award is disbursed and the host books a first expenditure in each category."""
    base.refresh_from_db()
    award = base.award
    paid_on = timezone.localdate() - timedelta(days=3)
    fund_services.award_disburse(
        actor=bureau,
        award=award,
        disbursed_on=paid_on,
        voucher_no="忻科拨〔2026〕8号",
        amount=award.amount,
    )
    staff = User.objects.filter(organisation=base.host, role=Role.BASE_STAFF).first()
    for category, amount, payee in [
        ("construction", "86000.00", "忻州市建工集团"),
        ("research", "45000.00", "太原理工大学"),
        ("cooperation", "8800.00", "山西省中试技术联盟"),
    ]:
        fund_services.ledger_record(
            actor=staff,
            base=base,
            direction="expenditure",
            entry_on=timezone.localdate(),
            amount=amount,
            payee=payee,
            category=category,
        )
