"""A journey in a real browser: the bureau forms a panel and the portal draws three experts;
each expert signs the no-conflict declaration and scores; the bureau concludes, publishes a public
notice; a member of the public lodges a real-name objection and gets a receipt number; the bureau
dismisses it, closes the notice when the period is over, and records the Party-group decision.
A screenshot of each screen is saved under test-artifacts/e2e/."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bases.models import PilotBase, Status
from portal.accounts.models import Role
from portal.accounts.services import organisation_create, organisation_get_or_create, user_create
from reviews.models import Expert, Objection, PublicNotice, ScoringTemplate, Specialty, TemplateCriterion
from tests.e2e.journey import PASSWORD, Journey, minutes_pdf, press
from tests.factories import PilotBaseFactory, make_uscc

NAME = "忻州市碳纤维复材中试基地"


@pytest.fixture
def cast(db):
    # get_or_create: a live-server test may follow another that flushed the migrations' rows
    xinfu, _ = organisation_get_or_create(
        name="忻府区工信和科技局", region="xinfu", kind="supervisor", supervisor_category="county"
    )
    bureau_org, _ = organisation_get_or_create(name="忻州市科学技术局", kind="bureau")
    host = organisation_create(
        name="忻州碳纤维复材有限公司",
        kind="host_unit",
        uscc=make_uscc(),
        supervising_unit=xinfu,
        region="xinfu",
    )
    university, _ = organisation_get_or_create(name="太原理工大学", kind="other")
    specialty, _ = Specialty.objects.get_or_create(name="新材料")
    template, created = ScoringTemplate.objects.get_or_create(
        name="中试基地建设评审评分表", defaults={"purpose": "establishment"}
    )
    if created:
        TemplateCriterion.objects.create(template=template, name="条件与能力", weight=Decimal(60), position=0)
        TemplateCriterion.objects.create(template=template, name="技术与前景", weight=Decimal(40), position=1)
    user_create(
        username="bureau",
        password=PASSWORD,
        organisation=bureau_org,
        role=Role.BUREAU_STAFF,
        full_name="张科长",
    )
    for i in range(1, 4):
        user = user_create(
            username=f"expert{i}",
            password=PASSWORD,
            organisation=university,
            role=Role.EXPERT,
            full_name=f"专家{i}",
        )
        expert = Expert.objects.create(
            user=user, title="教授", affiliation=university, phone="13900000000", email=f"e{i}@example.cn"
        )
        expert.specialties.set([specialty])
    return PilotBaseFactory(host=host, preliminary_passed=True, name=NAME, rd_direction="碳纤维复材")


@pytest.mark.django_db(transaction=True)
def test_expert_review_notice_and_decision_end_to_end(cast, browser, live_server, artifacts):
    j = Journey(browser, live_server, artifacts, "review")
    base = cast

    # 1. The bureau forms a panel: the portal draws three experts at random.
    context, page = j.login("bureau")
    page.get_by_role("button", name="评审与公示").click()
    page.get_by_role("link", name="专家评审").first.click()
    page.get_by_role("link", name="组建专家组").first.click()
    page.fill("#id_title", "2026年度第二批中试基地建设评审")
    page.get_by_label(NAME, exact=False).check()
    page.get_by_label("新材料").check()
    page.fill("#id_count", "3")
    j.shot(page, "bureau-panel-form")
    press(page, page.get_by_role("button", name="组建并抽取专家"))
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("随机抽取 3 名专家")
    expect(page.get_by_text("复核一致")).to_be_visible()
    j.shot(page, "bureau-panel-drawn")
    panel_url = page.url
    context.close()
    base.refresh_from_db()
    assert base.status == Status.EXPERT_REVIEW

    # 2. Each expert declares no conflict, then scores and submits.
    for i, value in enumerate(["9", "8", "8"], start=1):
        context, page = j.login(f"expert{i}")
        page.get_by_role("link", name="2026年度第二批中试基地建设评审").first.click()
        expect(page.get_by_text("无利益冲突声明").first).to_be_visible()
        page.get_by_label("本人已阅读并签署以上无利益冲突声明").check()
        page.get_by_role("button", name="签署声明并接受评审").click()
        expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("签署无利益冲突声明")
        page.get_by_role("link", name="评分").first.click()
        for field in page.locator("input.form-control[name^=score_]").all():
            field.fill(value)
        page.get_by_label("建议通过").check()
        page.fill("#id_opinion", f"专家{i}：具备建设条件，建议通过。")
        if i == 1:
            j.shot(page, "expert-sheet")
        press(page, page.get_by_role("button", name="提交评分"))
        expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("评分表已提交")
        context.close()

    # 3. The bureau concludes the panel.
    context, page = j.login("bureau")
    page.goto(panel_url)
    expect(page.get_by_text("当前得分")).to_be_visible()
    page.set_input_files("#id_panel_minutes", minutes_pdf(artifacts))
    press(page, page.get_by_role("button", name="形成评审结论"))
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("专家组评审已完成")
    j.shot(page, "bureau-panel-concluded")
    base.refresh_from_db()
    assert base.status == Status.REVIEW_PASSED

    # 4. The bureau publishes the public notice.
    page.get_by_role("button", name="评审与公示").click()
    page.get_by_role("link", name="公示", exact=True).first.click()
    page.get_by_role("link", name="发布公示").first.click()
    expect(page.locator("#notice-period")).to_contain_text("个工作日")
    j.shot(page, "bureau-notice-form")
    press(page, page.locator("main button[type=submit]"))
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("公示已发布")
    notice = PublicNotice.objects.get()
    context.close()

    # 5. A member of the public lodges a real-name objection and gets a receipt number.
    public = j.context()
    page = public.new_page()
    page.goto(f"{j.url}/notices/")
    page.get_by_role("link", name=notice.title).click()
    page.select_option("#id_entry", label=NAME)
    page.fill("#id_name", "李建华")
    page.fill("#id_phone", "13912345678")
    page.fill("#id_content", "据了解该基地中试线尚未建成，与申请书所述不符，请核查。")
    j.shot(page, "public-objection-form")
    press(page, page.get_by_role("button", name="提交异议"))
    expect(page.get_by_role("heading", name="异议已受理")).to_be_visible()
    objection = Objection.objects.get()
    expect(page.locator("[data-receipt]")).to_have_text(objection.receipt_no)
    j.shot(page, "public-receipt")
    page.goto(f"{j.url}/notices/{notice.pk}/")
    assert "李建华" not in page.content()
    public.close()

    # 6. The bureau investigates and dismisses it with reasons.
    context, page = j.login("bureau")
    page.goto(f"{j.url}/reviews/notices/{notice.pk}/")
    page.get_by_role("link", name=objection.receipt_no).click()
    page.get_by_label("异议不成立").check()
    page.fill("#id_resolution", "经实地核查，中试线已建成并试运行，反映情况不属实。")
    press(page, page.get_by_role("button", name="提交处理结论"))
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("异议已处理")
    objection.refresh_from_db()
    assert objection.state == Objection.State.DISMISSED

    # 7. The notice period runs out (the calendar moves on), and the bureau closes the notice.
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=14), ends_on=today - timedelta(days=1)
    )
    page.goto(f"{j.url}/reviews/notices/{notice.pk}/")
    press(page, page.get_by_role("button", name="办结公示"))
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("1 个基地公示无异议")
    j.shot(page, "bureau-notice-closed")
    base.refresh_from_db()
    assert base.status == Status.NOTICE_CLEARED

    # 8. The bureau records the Party-group meeting's decision.
    page.get_by_role("button", name="评审与公示").click()
    page.get_by_role("link", name="会议决定").first.click()
    page.get_by_role("link", name="记录会议决定").first.click()
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_minutes_no", "党组〔2026〕12号")
    page.set_input_files("#id_minutes", minutes_pdf(artifacts))
    page.get_by_label("批准立项").check()
    press(page, page.get_by_role("button", name="提交会议决定"))
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("已记录局党组会议")
    j.shot(page, "bureau-decision")
    context.close()
    assert PilotBase.objects.get(pk=base.pk).status == Status.APPROVED
