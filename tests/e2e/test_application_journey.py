"""A journey in a real browser: `host` drafts an application across two sessions and
uploads evidence, `host_approver` submits, `xinfu` returns it with a reason, the host fixes it and it
is resubmitted, `xinfu` recommends with a letter, `bureau` passes the preliminary review; `yuanping`
cannot see it anywhere. A screenshot of each screen is saved under test-artifacts/e2e/."""

import re

import pytest
from django_fsm_log.models import StateLog
from playwright.sync_api import expect

from bases.models import PilotBase, Status
from portal.accounts.models import Role
from portal.accounts.services import organisation_create, organisation_get_or_create, user_create
from tests.e2e.journey import press
from tests.factories import make_uscc
from tests.uploads import MINIMAL_PDF

PASSWORD = "journey-pass-2024"
NAME = "忻州市氢能装备中试基地"


@pytest.fixture
def cast(db):
    # get_or_create: a live-server test may follow another that flushed the migrations' rows
    supervisor = {"kind": "supervisor", "supervisor_category": "county"}
    xinfu_org, _ = organisation_get_or_create(name="忻府区工信和科技局", region="xinfu", **supervisor)
    yuanping_org, _ = organisation_get_or_create(name="原平市工信和科技局", region="yuanping", **supervisor)
    bureau_org, _ = organisation_get_or_create(name="忻州市科学技术局", kind="bureau")
    host_unit = organisation_create(
        name="忻州氢能装备有限公司",
        kind="host_unit",
        uscc=make_uscc(),
        supervising_unit=xinfu_org,
        region="xinfu",
    )
    for username, org, role in [
        ("host", host_unit, Role.BASE_STAFF),
        ("host_approver", host_unit, Role.HOST_APPROVER),
        ("xinfu", xinfu_org, Role.SUPERVISOR),
        ("yuanping", yuanping_org, Role.SUPERVISOR),
        ("bureau", bureau_org, Role.BUREAU_STAFF),
    ]:
        user_create(username=username, password=PASSWORD, organisation=org, role=role, full_name=username)


class Journey:
    def __init__(self, browser, live_server, artifacts):
        self.browser, self.url, self.artifacts, self.shots = browser, live_server.url, artifacts, 0

    def login(self, username, viewport=None):
        context = self.browser.new_context(
            locale="zh-CN", viewport=viewport or {"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.goto(f"{self.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/workspace/")
        return context, page

    def shot(self, page, name):
        self.shots += 1
        page.screenshot(path=self.artifacts / f"{self.shots:02d}-{name}.png", full_page=True)

    def open_base(self, page):
        base = PilotBase.objects.get(name=NAME)
        page.goto(f"{self.url}/bases/{base.pk}/")
        return base


def fill(page, values: dict):
    for selector, value in values.items():
        page.fill(selector, value)


@pytest.mark.django_db(transaction=True)
def test_application_phase_end_to_end(cast, browser, live_server, artifacts, tmp_path):
    j = Journey(browser, live_server, artifacts)
    evidence = tmp_path / "证明材料.pdf"
    evidence.write_bytes(MINIMAL_PDF)

    # 1. host, first session: create the draft, check the name as typed, save the basics.
    context, page = j.login("host")
    j.shot(page, "host-workspace")
    page.get_by_role("link", name="新建申请").first.click()
    page.fill("#id_rd_direction", "氢能装备")
    page.fill("#id_name", "氢能装备中试基地")
    expect(page.locator("#name-check")).to_contain_text("忻州市+研发方向+中试基地")
    page.fill("#id_name", NAME)
    expect(page.locator("#name-check")).to_contain_text("符合第十八条")
    j.shot(page, "host-create")
    page.get_by_role("button", name="创建草稿").click()
    fill(
        page,
        {
            "#id_summary": "氢能装备中间试验。",
            "#id_contact_name": "刘工",
            "#id_contact_phone": "0350-1234567",
        },
    )
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    context.close()

    # 2. host, second session: the draft is still there; fill every section and the evidence.
    context, page = j.login("host")
    expect(page.get_by_text(NAME).first).to_be_visible()
    base = j.open_base(page)
    assert base.summary == "氢能装备中间试验。"
    edit = f"{j.url}/bases/{base.pk}/edit"
    page.goto(f"{edit}/backing/")
    page.get_by_role("button", name="添加一行").click()
    page.fill("#id_technical_backings-0-name", "忻州师范学院")
    page.select_option("#id_technical_backings-0-kind", "university")
    page.fill("#id_technical_backings-0-cooperation", "共建联合实验室")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    page.goto(f"{edit}/director/")
    fill(
        page,
        {
            "#id_director_name": "李明",
            "#id_director_title": "正高级工程师",
            "#id_director_field": "氢能装备",
            "#id_director_achievements": "主持省级项目3项。",
        },
    )
    page.get_by_role("button", name="添加一行").click()
    fill(
        page,
        {
            "#id_papers-0-title": "氢能装备研究",
            "#id_papers-0-journal": "能源学报",
            "#id_papers-0-published_year": "2024",
        },
    )
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    sections = {
        "equipment": {
            "#id_site_address": "忻府区长征街1号",
            "#id_site_area_m2": "2000",
            "#id_equipment_value_wan": "800",
            "#id_equipment_description": "中试线一条。",
            "#id_pilot_capability": "可承担中间试验。",
        },
        "technology": {
            "#id_core_technology": "电解槽技术。",
            "#id_industry_prospects": "省内领先。",
            "#id_upgrade_capability": "持续迭代。",
        },
        "finances": {
            "#id_total_assets_wan": "30000",
            "#id_revenue_last_year_wan": "20000",
            "#id_rd_spend_last_year_wan": "1000",
            "#id_funding_capacity": "信用良好。",
        },
        "management": {
            "#id_management_system": "主任负责制。",
            "#id_leadership": "班子5人。",
            "#id_staff_total": "60",
            "#id_staff_rd": "30",
            "#id_skilled_workers": "20",
        },
    }
    for section, values in sections.items():
        page.goto(f"{edit}/{section}/")
        fill(page, values)
        page.get_by_role("button", name="保存草稿").click()
        expect(page.locator(".alert-success")).to_contain_text("已保存")
    page.goto(f"{edit}/conditions/")
    for n in range(1, 9):
        page.check(f"#id_c{n}-affirmed")
        page.fill(f"#id_c{n}-statement", f"符合第{n}项条件。")
        page.set_input_files(f"#id_c{n}-evidence", str(evidence))
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    j.shot(page, "host-conditions-with-evidence")
    page.goto(f"{j.url}/bases/{base.pk}/")
    j.shot(page, "host-detail-complete")
    expect(page.get_by_role("link", name="审核提交")).to_have_count(0)  # base staff cannot submit
    context.close()

    # 3. host_approver signs off and submits (with confirmation).
    context, page = j.login("host_approver")
    j.shot(page, "approver-workspace")
    j.open_base(page)
    page.get_by_role("link", name="审核提交").click()
    press(page, page.locator("main form button[type=submit]"))
    expect(page.locator(".status-badge")).to_have_text("待推荐")
    context.close()

    # 4. xinfu returns it with a reason.
    context, page = j.login("xinfu")
    expect(page.get_by_text(NAME).first).to_be_visible()
    j.shot(page, "xinfu-workspace")
    j.open_base(page)
    j.shot(page, "xinfu-detail")
    page.get_by_role("link", name="退回修改").click()
    page.fill("#id_comment", "请补充近三年审计报告。")
    press(page, page.locator("main form button[type=submit]"))
    expect(page.locator(".status-badge")).to_have_text("退回修改")
    context.close()

    # 5. host fixes it; host_approver resubmits.
    context, page = j.login("host")
    j.open_base(page)
    expect(page.get_by_text("请补充近三年审计报告。")).to_be_visible()
    page.goto(f"{edit}/finances/")
    page.fill("#id_funding_capacity", "信用良好，附近三年审计报告。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    context.close()
    context, page = j.login("host_approver")
    j.open_base(page)
    page.get_by_role("link", name="审核提交").click()
    press(page, page.locator("main form button[type=submit]"))
    expect(page.locator(".status-badge")).to_have_text("待推荐")
    context.close()

    # 6. xinfu recommends with a letter.
    context, page = j.login("xinfu")
    j.open_base(page)
    page.get_by_role("link", name="审核推荐").click()
    page.set_input_files("#id_letter", str(evidence))
    page.fill("#id_comment", "同意推荐。")
    j.shot(page, "xinfu-recommend")
    press(page, page.locator("main form button[type=submit]"))
    expect(page.locator(".status-badge")).to_have_text("待初审")
    context.close()

    # 7. bureau passes the preliminary review on the checklist.
    context, page = j.login("bureau")
    j.shot(page, "bureau-workspace")
    j.open_base(page)
    page.get_by_role("link", name="初审", exact=True).click()
    for radio in page.locator("input[type=radio][value=yes]").all():
        radio.check()
    j.shot(page, "bureau-checklist")
    press(page, page.get_by_role("button", name="初审通过"))
    expect(page.locator(".status-badge")).to_have_text("初审通过")
    j.shot(page, "bureau-detail-passed")
    context.close()

    base.refresh_from_db()
    assert base.status == Status.PRELIMINARY_PASSED
    steps = list(StateLog.objects.for_(base).order_by("pk").values_list("transition", flat=True))
    assert steps == ["create", "submit", "supervisor_return", "submit", "recommend", "preliminary_pass"]

    # 8. yuanping cannot see it anywhere.
    context, page = j.login("yuanping")
    assert NAME not in page.content()
    page.goto(f"{j.url}/bases/")
    assert NAME not in page.content()
    page.goto(f"{j.url}/bases/?q=氢能")
    assert NAME not in page.content()
    response = page.goto(f"{j.url}/bases/{base.pk}/")
    assert response.status == 404
    assert NAME not in page.content()
    j.shot(page, "yuanping-404")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_workspace_reads_on_a_phone(cast, browser, live_server, artifacts):
    j = Journey(browser, live_server, artifacts)
    context, page = j.login("host", viewport={"width": 390, "height": 844})
    j.shot(page, "phone-workspace")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    page.goto(f"{j.url}/bases/new/")
    j.shot(page, "phone-create")
    assert re.search(r"新建中试基地建设申请", page.content())
    context.close()
