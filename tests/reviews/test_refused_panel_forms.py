"""The panel page's forms keep what was typed when refused (Art. 8-2): the page comes back (status
400) with the reason at the top, a link to the form, and the form as it was filled in."""

import pytest
from django.urls import reverse

from reviews.models import PanelMember
from tests.reviews.test_panels import accept_all, form, score, setting  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def test_a_conclusion_without_minutes_keeps_the_comments_typed(client, people, setting):  # noqa: F811
    panel = form(people, setting)
    members = accept_all(panel)
    entry = panel.panel_bases.get()
    for member in members:
        score(member, entry, "8")
    client.force_login(people.bureau)
    url = reverse("reviews:panel_conclude", args=[panel.pk])
    response = client.post(url, {f"comment_{entry.pk}": "建议加强中试线安全管理"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请上传专家组评审会议纪要（PDF）后再形成结论。" in page and 'href="#h-conclude"' in page
    assert ">建议加强中试线安全管理</textarea>" in page
    panel.refresh_from_db()
    assert panel.is_open and panel.minutes is None


def test_a_decline_without_a_reason_is_refused_on_the_invitation_page(client, people, setting):  # noqa: F811
    panel = form(people, setting)
    member = panel.members.first()
    client.force_login(member.expert.user)
    response = client.post(reverse("reviews:my_panel_answer", args=[panel.pk]), {"answer": "decline"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写谢绝理由（如存在利益冲突或时间冲突）。" in page and "无利益冲突声明" in page
    member.refresh_from_db()
    assert member.state == PanelMember.State.INVITED
