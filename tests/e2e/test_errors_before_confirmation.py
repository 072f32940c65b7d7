"""Errors before "are you sure?": revoking a base (Art. 16, 17) with its explanation left empty goes
straight to the server, which refuses in Chinese next to the field — the confirmation is asked only
once the form may succeed."""

from datetime import date

import pytest
from playwright.sync_api import expect

from bases.models import PilotBase, Status
from portal.accounts.models import Role
from portal.accounts.services import organisation_create, organisation_get_or_create, user_create
from tests.e2e.journey import PASSWORD, Journey
from tests.factories import PilotBaseFactory, make_uscc


@pytest.fixture
def recognised(db):
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
    user_create(
        username="bureau",
        password=PASSWORD,
        organisation=bureau_org,
        role=Role.BUREAU_STAFF,
        full_name="张科长",
    )
    return PilotBaseFactory(host=host, status=Status.RECOGNIZED, recognized_on=date(2025, 1, 1))


def test_an_incomplete_revocation_is_refused_before_any_confirmation(
    recognised, browser, live_server, artifacts
):
    journey = Journey(browser, live_server, artifacts, "errors-first")
    context, page = journey.login("bureau")
    page.goto(f"{live_server.url}/bases/{recognised.pk}/act/revoke/")
    page.select_option("#id_reason_code", "bureau_decision")
    page.get_by_role("button", name="撤销资格", exact=True).click()
    expect(page.locator("#id_comment_error")).to_contain_text("请填写撤销说明")
    expect(page.locator("#portal-confirm-modal")).not_to_be_visible()
    assert PilotBase.objects.get(pk=recognised.pk).status == Status.RECOGNIZED
    journey.shot(page, "refused-without-asking")
    page.fill("#id_comment", "弄虚作假，骗取认定资格。")
    page.get_by_role("button", name="撤销资格", exact=True).click()
    expect(page.locator("#portal-confirm-modal [data-confirm-ok]")).to_be_visible()
    journey.confirm(page)
    expect(page.locator(".alert-success")).to_contain_text("撤销资格")
    assert PilotBase.objects.get(pk=recognised.pk).status == Status.REVOKED
    context.close()
