"""The platform's own pages: home, health check, login."""

import pytest
from django.urls import reverse

from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def test_home_is_public_and_in_chinese(client):
    PilotBaseFactory(recognized=True)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "忻州市中试基地管理平台" in html
    assert "目前已认定的市中试基地：1 个" in html


def test_health_check_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_login_page_renders_and_logs_in(client, people):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "staff_a", "password": "pw-for-tests"})
    assert response.status_code == 302
    # The workspace is tested on its own; the session is what matters here.
    assert "_auth_user_id" in client.session


def test_wrong_password_gets_a_chinese_message(client, people):
    response = client.post("/accounts/login/", {"username": "staff_a", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
