"""The screens of expert panels and public notices, driven through the test client: what each role
does in the browser, with bad input answered on the form and nothing lost."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bases.models import Status
from reviews.models import Objection, Panel, PanelMember, PublicNotice, ScoringTemplate, Specialty
from reviews.services import notices as notice_services
from tests.factories import PilotBaseFactory, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    return [make_expert(full_name=f"评审专家{i}") for i in range(5)]


def form_panel(client, people, base, count=3):
    client.force_login(people.bureau)
    return client.post(
        reverse("reviews:panel_new"),
        {
            "title": "第一批建设评审",
            "purpose": "establishment",
            "template": ScoringTemplate.objects.get(purpose="establishment").pk,
            "bases": [base.pk],
            "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "specialties": [Specialty.objects.get(name="新材料").pk],
            "count": count,
            "note": "",
        },
    )


def test_bureau_forms_a_panel_in_the_browser_and_sees_the_draw(client, people, pool):
    base = PilotBaseFactory(host=people.host_a, preliminary_passed=True)
    response = form_panel(client, people, base)
    panel = Panel.objects.get()
    assert response.status_code == 302 and response.url == reverse("reviews:panel_detail", args=[panel.pk])
    page = client.get(response.url).content.decode()
    assert "复核一致" in page and str(panel.draws.get().seed) in page
    assert page.count("待确认") >= 3


def test_a_refused_panel_keeps_what_was_typed(client, people, pool):
    base = PilotBaseFactory(host=people.host_a, preliminary_passed=True)
    response = form_panel(client, people, base, count=9)
    assert response.status_code == 200
    body = response.content.decode()
    assert "不足 9 名" in body and "第一批建设评审" in body
    assert not Panel.objects.exists()


def test_expert_accepts_scores_and_submits_in_the_browser(client, people, pool):
    base = PilotBaseFactory(host=people.host_a, preliminary_passed=True)
    form_panel(client, people, base)
    panel = Panel.objects.get()
    member = panel.members.first()
    client.force_login(member.expert.user)
    page = client.get(reverse("reviews:my_panel", args=[panel.pk])).content.decode()
    assert "无利益冲突声明" in page and base.name in page and "查阅申请材料" not in page
    answer = reverse("reviews:my_panel_answer", args=[panel.pk])
    client.post(answer, {"answer": "accept"})  # the box not ticked
    member.refresh_from_db()
    assert member.state == PanelMember.State.INVITED
    client.post(answer, {"answer": "accept", "declared": "on"})
    member.refresh_from_db()
    assert member.state == PanelMember.State.ACCEPTED
    entry = panel.panel_bases.get()
    url = reverse("reviews:my_sheet", args=[panel.pk, entry.pk])
    criteria = list(panel.criteria.all())
    data = {f"score_{c.pk}": "8" for c in criteria} | {"opinion": "", "recommendation": "pass"}
    data[f"score_{criteria[0].pk}"] = "abc"
    response = client.post(url, {**data, "action": "submit"})
    assert response.status_code == 200 and "须为数字" in response.content.decode()
    assert 'value="8"' in response.content.decode()  # nothing typed is lost
    data[f"score_{criteria[0].pk}"] = "9"
    assert client.post(url, {**data, "action": "save"}).status_code == 302
    data["opinion"] = "具备建设条件。"
    assert client.post(url, {**data, "action": "submit"}).status_code == 302
    sheet = member.sheets.get()
    assert sheet.is_submitted and sheet.total is not None
    locked = client.get(url).content.decode()
    assert "不能再修改" in locked and 'name="action"' not in locked


def test_notice_compose_shows_the_end_date_and_publishes(client, people):
    base = PilotBaseFactory(host=people.host_a, review_passed=True)
    client.force_login(people.bureau)
    partial = client.get(reverse("reviews:notice_period"), {"starts_on": "2026-09-30", "working_days": "7"})
    assert "2026年10月14日" in partial.content.decode()
    bad = client.get(reverse("reviews:notice_period"), {"starts_on": "x", "working_days": "y"})
    assert bad.status_code == 200
    today = timezone.localdate()
    response = client.post(
        reverse("reviews:notice_new"),
        {
            "title": "拟立项建设名单公示",
            "body": "现予以公示。",
            "bases": [base.pk],
            "starts_on": today.isoformat(),
            "working_days": 7,
            "contact": "",
        },
    )
    notice = PublicNotice.objects.get()
    assert response.status_code == 302
    base.refresh_from_db()
    assert base.status == Status.IN_NOTICE
    public = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert base.name in public and "提交异议" in public


def test_public_objection_gets_a_receipt_and_the_bureau_resolves_it(client, people):
    base = PilotBaseFactory(host=people.host_a, review_passed=True)
    today = timezone.localdate()
    notice = notice_services.notice_publish(
        actor=people.bureau, title="公示", body="内容", starts_on=today, working_days=7, bases=[base]
    )
    entry = notice.entries.get()
    url = reverse("notices:detail", args=[notice.pk])
    typed = {
        "entry": entry.pk,
        "name": "匿名",
        "phone": "13912345678",
        "content": "该基地申报材料与事实不符，请核查。",
    }
    refused = client.post(url, typed)
    assert refused.status_code == 200 and "匿名异议不予受理" in refused.content.decode()
    assert "该基地申报材料与事实不符" in refused.content.decode()
    response = client.post(url, {**typed, "name": "李四"})
    objection = Objection.objects.get()
    assert response.status_code == 302
    receipt = client.get(response.url).content.decode()
    assert objection.receipt_no in receipt and "李四" not in receipt
    client.logout()
    assert client.get(response.url).status_code == 404  # another session cannot read a receipt
    client.force_login(people.bureau)
    detail = reverse("reviews:objection_detail", args=[objection.pk])
    assert "李四" in client.get(detail).content.decode()
    client.post(detail, {"form": "resolve", "upheld": "no", "resolution": "经核查，反映问题不属实。"})
    objection.refresh_from_db()
    assert objection.state == Objection.State.DISMISSED


def test_list_pages_run_a_bounded_number_of_queries(client, people):
    client.force_login(people.bureau)
    for i in range(3):
        base = PilotBaseFactory(host=people.host_a, review_passed=True)
        notice_services.notice_publish(
            actor=people.bureau,
            title=f"公示{i}",
            body="b",
            starts_on=timezone.localdate(),
            working_days=7,
            bases=[base],
        )
    counts = []
    for url in (reverse("reviews:notice_list"), reverse("reviews:panel_list"), reverse("notices:list")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    base = PilotBaseFactory(host=people.host_a, review_passed=True)
    notice_services.notice_publish(
        actor=people.bureau,
        title="公示9",
        body="b",
        starts_on=timezone.localdate(),
        working_days=7,
        bases=[base],
    )
    again = []
    for url in (reverse("reviews:notice_list"), reverse("reviews:panel_list"), reverse("notices:list")):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        again.append(len(queries))
    assert again == counts
    assert max(counts) < 20


def test_past_dates_refused_on_the_notice_form(client, people):
    base = PilotBaseFactory(host=people.host_a, review_passed=True)
    client.force_login(people.bureau)
    response = client.post(
        reverse("reviews:notice_new"),
        {
            "title": "公示",
            "body": "内容",
            "bases": [base.pk],
            "starts_on": (date.today() - timedelta(days=3)).isoformat(),
            "working_days": 7,
        },
    )
    assert response.status_code == 200 and "不能早于今天" in response.content.decode()
