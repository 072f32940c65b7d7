"""A journey in a real browser: the host files the task book and the chain approves it
(construction starts, the countdown shows), an extension is requested and granted, the acceptance
application goes up the chain, an acceptance panel passes the base, and the bureau finds it among
the recognised bases with its 200,000-yuan award. Screenshots go to test-artifacts/e2e/."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bases.models import PilotBase, Status
from portal.accounts.models import Role
from portal.accounts.services import organisation_create, organisation_get_or_create, user_create
from reviews.models import Expert, ScoringTemplate, Specialty, TemplateCriterion
from tests.e2e.journey import PASSWORD, Journey, minutes_pdf, press
from tests.factories import PilotBaseFactory, make_uscc

NAME = "忻州市功能薄膜中试基地"


@pytest.fixture
def cast(db):
    xinfu, _ = organisation_get_or_create(
        name="忻府区工信和科技局", region="xinfu", kind="supervisor", supervisor_category="county"
    )
    bureau_org, _ = organisation_get_or_create(name="忻州市科学技术局", kind="bureau")
    host = organisation_create(
        name="忻州功能薄膜有限公司",
        kind="host_unit",
        uscc=make_uscc(),
        supervising_unit=xinfu,
        region="xinfu",
    )
    university, _ = organisation_get_or_create(name="山西大学", kind="other")
    specialty, _ = Specialty.objects.get_or_create(name="新材料")
    template, created = ScoringTemplate.objects.get_or_create(
        name="中试基地验收评分表", defaults={"purpose": "acceptance"}
    )
    if created:
        TemplateCriterion.objects.create(template=template, name="任务完成", weight=Decimal(100), position=0)
    people = [
        ("host", host, Role.BASE_STAFF),
        ("host_approver", host, Role.HOST_APPROVER),
        ("xinfu", xinfu, Role.SUPERVISOR),
        ("bureau", bureau_org, Role.BUREAU_STAFF),
    ]
    for username, org, role in people:
        user_create(username=username, password=PASSWORD, organisation=org, role=role, full_name=username)
    for i in range(1, 4):
        user = user_create(
            username=f"expert{i}",
            password=PASSWORD,
            organisation=university,
            role=Role.EXPERT,
            full_name=f"专家{i}",
        )
        Expert.objects.create(
            user=user, title="教授", affiliation=university, phone="13900000000", email=f"e{i}@example.cn"
        ).specialties.set([specialty])
    return PilotBaseFactory(
        host=host,
        approved=True,
        name=NAME,
        rd_direction="功能薄膜",
        approved_on=timezone.localdate() - timedelta(days=100),
    )


class ChainJourney(Journey):
    def chain(self, filing_url, months=None):
        self.step("host_approver", filing_url, "审核提交")
        self.step("xinfu", filing_url, "审核通过并报市科技局", comment="同意。")
        if months is not None or "acceptance" not in filing_url:
            self.step("bureau", filing_url, "批准", comment="同意。", months=months)


@pytest.mark.django_db(transaction=True)
def test_task_book_extension_acceptance_and_roster_end_to_end(cast, browser, live_server, artifacts):
    j, base = ChainJourney(browser, live_server, artifacts, "construction"), cast

    # 1. The host files the task book; the chain approves it; construction starts with a countdown.
    context, page = j.login("host")
    page.goto(f"{j.url}/bases/{base.pk}/")
    page.get_by_role("link", name="填报建设计划任务书").click()
    page.fill("#id_goals", "建成功能薄膜中试线一条。")
    page.fill("#id_construction_content", "车间改造与设备购置。")
    page.fill("#id_staffing", "负责人 1 名，骨干 6 名。")
    page.fill("#id_expected_outputs", "中试项目 6 项。")
    page.fill("#id_milestones-0-content", "车间改造。")
    page.fill("#id_milestones-1-content", "设备调试与首批中试。")
    j.shot(page, "host-task-book")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("已保存草稿")
    task_book_url = page.url
    context.close()
    j.chain(task_book_url)
    base.refresh_from_db()
    assert base.status == Status.UNDER_CONSTRUCTION
    context, page = j.login("host")
    page.goto(f"{j.url}/bases/{base.pk}/")
    expect(page.locator("[data-countdown]")).to_contain_text("距建设期满还有")
    j.shot(page, "host-under-construction")

    # 2. An extension of 6 months is requested; the bureau grants 3.
    page.get_by_role("link", name="填报延期申请").click()
    page.fill("#id_reasons", "进口镀膜设备交付延误。")
    page.fill("#id_months_requested", "6")
    page.get_by_role("button", name="保存草稿").click()
    extension_url = page.url
    context.close()
    j.chain(extension_url, months=3)
    base.refresh_from_db()
    assert base.extension_months == 3

    # 3. The acceptance application goes up to the bureau.
    context, page = j.login("host")
    page.goto(f"{j.url}/bases/{base.pk}/")
    page.get_by_role("link", name="填报验收申请").click()
    page.fill("#id_summary", "各年度建设任务均已完成。")
    page.fill("#id_outputs", "完成中试项目 7 项。")
    page.fill("#id_fund_usage", "自筹资金全部到位。")
    page.get_by_role("button", name="保存草稿").click()
    acceptance_url = page.url
    context.close()
    j.chain(acceptance_url)
    base.refresh_from_db()
    assert base.status == Status.ACCEPTANCE_APPLIED

    # 4. The bureau forms the acceptance panel; three experts score; the panel passes the base.
    context, page = j.login("bureau")
    page.goto(acceptance_url)
    page.get_by_role("link", name="组建验收专家组").click()
    page.fill("#id_title", "功能薄膜中试基地验收")
    page.get_by_label("新材料").check()
    page.fill("#id_count", "3")
    press(page, page.get_by_role("button", name="组建并抽取专家"))
    expect(page.get_by_text("复核一致")).to_be_visible()
    panel_url = page.url
    context.close()
    for i in range(1, 4):
        context, page = j.login(f"expert{i}")
        page.get_by_role("link", name="功能薄膜中试基地验收").first.click()
        page.get_by_label("本人已阅读并签署以上无利益冲突声明").check()
        page.get_by_role("button", name="签署声明并接受评审").click()
        page.get_by_role("link", name="评分").first.click()
        for field in page.locator("input.form-control[name^=score_]").all():
            field.fill("9")
        page.get_by_label("建议通过").check()
        page.fill("#id_opinion", "建设任务完成，建议通过验收。")
        press(page, page.get_by_role("button", name="提交评分"))
        expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("评分表已提交")
        context.close()
    context, page = j.login("bureau")
    page.goto(panel_url)
    page.set_input_files("#id_panel_minutes", minutes_pdf(artifacts))
    press(page, page.get_by_role("button", name="形成评审结论"))
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("专家组评审已完成")

    # 5. Recognised: in the list of recognised bases, with its award awaiting disbursement.
    page.goto(f"{j.url}/bases/?status=recognized")
    expect(page.get_by_role("link", name=NAME)).to_be_visible()
    j.shot(page, "bureau-recognised-list")
    page.goto(f"{j.url}/bases/{base.pk}/funds/")
    expect(page.get_by_text("200,000.00 元").first).to_be_visible()
    expect(page.get_by_text("待拨付").first).to_be_visible()
    j.shot(page, "bureau-award")
    context.close()
    base = PilotBase.objects.get(pk=base.pk)
    assert base.status == Status.RECOGNIZED and base.award.amount == Decimal("200000.00")
