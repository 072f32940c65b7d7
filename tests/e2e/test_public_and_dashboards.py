"""The public and dashboard screens in a real browser at desktop and phone widths: the public home, roster and
Measures, and the bureau's, the supervisor's and the host's dashboards. The screenshots go to
test-artifacts/e2e/ for review."""

from datetime import date

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.accounts.services import organisation_create, organisation_get_or_create, user_create
from tests.e2e.journey import PASSWORD
from tests.factories import PilotBaseFactory, make_uscc

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def cast(db):
    xinfu, _ = organisation_get_or_create(
        name="忻府区工信和科技局", region="xinfu", kind="supervisor", supervisor_category="county"
    )
    bureau_org, _ = organisation_get_or_create(name="忻州市科学技术局", kind="bureau")
    host = organisation_create(
        name="忻州示范材料有限公司",
        kind="host_unit",
        uscc=make_uscc(),
        supervising_unit=xinfu,
        region="xinfu",
    )
    for username, org, role in [
        ("host", host, Role.BASE_STAFF),
        ("xinfu", xinfu, Role.SUPERVISOR),
        ("bureau", bureau_org, Role.BUREAU_STAFF),
    ]:
        user_create(username=username, password=PASSWORD, organisation=org, role=role, full_name=username)
    for i, direction in enumerate(["示范材料", "示范装备", "示范食品"]):
        PilotBaseFactory(
            host=host,
            recognized=True,
            name=f"忻州市{direction}中试基地",
            rd_direction=direction,
            recognized_on=date(2025, i + 1, 1),
        )
    PilotBaseFactory(host=host, under_construction=True, construction_deadline=date(2027, 5, 1))


@pytest.mark.django_db(transaction=True)
def test_public_pages_and_dashboards_at_desktop_and_phone_widths(cast, browser, live_server, artifacts):
    for size, viewport in SIZES.items():
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        page = context.new_page()
        for name, path, heading in [
            ("home", "/", "忻州市中试基地管理平台"),
            ("roster", "/roster/", "市中试基地名录"),
            ("measures", "/measures/", "市中试基地建设与运行管理办法"),
        ]:
            page.goto(f"{live_server.url}{path}")
            expect(page.get_by_role("heading", level=1).first).to_contain_text(heading)
            page.screenshot(path=artifacts / f"public-{name}-{size}.png", full_page=True)
        expect(page.locator("#art-18")).to_contain_text("忻州市+研发方向+中试基地")
        context.close()
        for username, heading in [
            ("bureau", "统计概览"),
            ("xinfu", "统计概览"),
            ("host", "本单位的中试基地"),
        ]:
            context = browser.new_context(locale="zh-CN", viewport=viewport)
            page = context.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.locator("main button[type=submit]").click()
            page.wait_for_url("**/workspace/")
            page.goto(f"{live_server.url}/dashboard/")
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
            page.screenshot(path=artifacts / f"dashboard-{username}-{size}.png", full_page=True)
            context.close()
