"""A journey in a real browser: the bureau opens the year's reporting round, the host files
the annual report and the chain passes it up, the bureau grades it 不合格 — the second in a row, so
the page warns that publishing revokes the base (Art. 16) — and publishes the year's results, which
revokes it. Screenshots go to
test-artifacts/e2e/."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import AnnualGrade, AnnualReport
from bases.models import PilotBase, Status
from portal.accounts.models import Role, User
from portal.accounts.services import organisation_create, organisation_get_or_create, user_create
from tests.e2e.journey import PASSWORD, Journey, press
from tests.factories import PilotBaseFactory, make_uscc

NAME = "忻州市特种焊材中试基地"


@pytest.fixture
def cast(db):
    xinfu, _ = organisation_get_or_create(
        name="忻府区工信和科技局", region="xinfu", kind="supervisor", supervisor_category="county"
    )
    bureau_org, _ = organisation_get_or_create(name="忻州市科学技术局", kind="bureau")
    host = organisation_create(
        name="忻州特种焊材有限公司",
        kind="host_unit",
        uscc=make_uscc(),
        supervising_unit=xinfu,
        region="xinfu",
    )
    for username, org, role in [
        ("host", host, Role.BASE_STAFF),
        ("host_approver", host, Role.HOST_APPROVER),
        ("xinfu", xinfu, Role.SUPERVISOR),
        ("bureau", bureau_org, Role.BUREAU_STAFF),
    ]:
        user_create(username=username, password=PASSWORD, organisation=org, role=role, full_name=username)
    base = PilotBaseFactory(
        host=host, recognized=True, name=NAME, rd_direction="特种焊材", recognized_on=date(2023, 5, 1)
    )
    last_year = timezone.localdate().year - 2
    AnnualGrade.objects.create(
        base=base,
        year=last_year,
        grade="fail",
        note="运行不正常。",
        graded_by=User.objects.get(username="bureau"),
        graded_on=date(last_year + 1, 3, 1),
    )
    return base


@pytest.mark.django_db(transaction=True)
def test_a_years_round_from_report_to_grade_and_a_revocation(cast, browser, live_server, artifacts):
    j, base = Journey(browser, live_server, artifacts, "operation"), cast
    year = timezone.localdate().year - 1

    # 1. The bureau opens the year's round; the rule and the bases that owe a report are shown.
    context, page = j.login("bureau")
    page.get_by_role("button", name="评审与公示").click()
    page.get_by_role("link", name="年度考核与三年评估").click()
    expect(page.get_by_text(NAME).first).to_be_visible()
    j.shot(page, "bureau-open-round")
    press(page, page.get_by_role("button", name=f"开启 {year} 年度报告报送"))
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("已开启")
    round_url = page.url
    context.close()
    report = AnnualReport.objects.get(base=base, round__year=year)
    report_url = f"{j.url}/bases/filings/annual-report/{report.pk}/"

    # 2. Base staff fill the report; the approver, the supervisor and the bureau pass it up.
    context, page = j.login("host")
    page.goto(report_url)
    page.fill("#id_summary", "全年完成中试 3 项。")
    page.fill("#id_plan", "下一年度计划完成中试 5 项。")
    page.fill("#id_pilot_runs", "3")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("已保存")
    j.shot(page, "host-annual-report")
    context.close()
    j.step("host_approver", report_url, "审核提交")
    j.step("xinfu", report_url, "审核通过并报市科技局")
    j.step("bureau", report_url, "批准")

    # 3. The bureau grades it 不合格: the second in a row; publication revokes the base (Art. 16).
    context, page = j.login("bureau")
    page.goto(round_url)
    row = page.locator("tr", has_text=NAME)
    row.locator("select[name=grade]").select_option("fail")
    row.locator("input[name=note]").fill("中试服务基本停滞。")
    press(page, row.get_by_role("button", name="记录"))
    expect(page.locator(".alert-warning")).to_contain_text("时将撤销其资格")
    assert PilotBase.objects.get(pk=base.pk).status == Status.RECOGNIZED  # a draft until published
    j.shot(page, "bureau-graded-revoked")
    press(page, page.get_by_role("button", name="发布考核结果"))
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("已发布")
    expect(page.locator(".alert-warning")).to_contain_text("已撤销其资格")
    page.goto(f"{j.url}/bases/{base.pk}/")
    expect(page.get_by_text("连续两年年度考核不合格").first).to_be_visible()
    j.shot(page, "bureau-revoked-base")
    context.close()
    base = PilotBase.objects.get(pk=base.pk)
    assert base.status == Status.REVOKED and base.revocation_reason == "two_consecutive_failures"
