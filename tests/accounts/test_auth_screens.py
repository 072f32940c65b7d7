"""The sign-in screens: login, lockout (django-axes), password change, logout, profile.

The login tests POST for real through the whole middleware stack, so that django-axes counts them.
"""

import pytest
from axes.utils import reset
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def _no_axes_history():
    reset()
    yield
    reset()


def test_login_page_has_labelled_fields_and_autofocus(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="form-label" for="id_username">用户名' in html
    assert '<label class="form-label" for="id_password">密码' in html
    assert 'name="username"' in html and "autofocus" in html
    assert 'class="form-control"' in html


def test_login_success_redirects_to_the_workspace(client, people):
    response = client.post(LOGIN_URL, {"username": "staff_a", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace") == "/workspace/"
    assert client.session["_auth_user_id"] == str(people.staff_a.pk)


def test_login_with_a_wrong_password_shows_django_chinese_message_as_an_alert(client, people):
    response = client.post(LOGIN_URL, {"username": "staff_a", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入一个正确的" in html
    assert 'class="alert alert-danger" role="alert"' in html
    assert "_auth_user_id" not in client.session


def test_too_many_failed_logins_lock_the_account_even_for_the_right_password(client, people):
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        response = client.post(LOGIN_URL, {"username": "staff_a", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(LOGIN_URL, {"username": "staff_a", "password": "wrong"})
    # django-axes answers a lockout with AXES_HTTP_RESPONSE_CODE (403 or its default 429).
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert response.status_code in (403, 429)
    html = response.content.decode()
    assert "登录失败次数过多，账号已被暂时锁定，请 1 小时后再试或联系系统管理员。" in html
    assert '<html lang="zh-CN">' in html  # the portal's layout, not axes' bare text

    response = client.post(LOGIN_URL, {"username": "staff_a", "password": "pw-for-tests"})
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only_and_says_so_afterwards(client, people):
    client.force_login(people.staff_a)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "您已安全退出平台。" in html
    assert 'role="alert"' in html


def test_password_change_requires_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change_changes_the_password_and_keeps_the_user_signed_in(client, people):
    client.force_login(people.staff_a)
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 200
    assert 'for="id_old_password"' in response.content.decode()

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pw-for-tests",
            "new_password1": "Xinzhou#Pilot2024",
            "new_password2": "Xinzhou#Pilot2024",
        },
    )
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("accounts:password_change_done") == "/accounts/password-change/done/"
    )
    people.staff_a.refresh_from_db()
    assert people.staff_a.check_password("Xinzhou#Pilot2024")
    done = client.get(response["Location"])
    assert done.status_code == 200
    assert "您的密码已修改成功" in done.content.decode()


@pytest.mark.parametrize(
    ("old", "new1", "new2", "message"),
    [
        ("wrong", "Xinzhou#Pilot2024", "Xinzhou#Pilot2024", "你的旧密码不正确"),
        ("pw-for-tests", "Xinzhou#Pilot2024", "Xinzhou#Pilot2025", "输入的两个密码不一致"),
        # Django 5.2's zh_Hans catalogue lacks its too-short message; the portal's validator says it.
        ("pw-for-tests", "x7#q", "x7#q", "密码太短，至少需要 8 个字符"),
        ("pw-for-tests", "84736251904", "84736251904", "密码只包含数字"),
    ],
)
def test_password_change_refuses_with_a_chinese_message(client, people, old, new1, new2, message):
    client.force_login(people.staff_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new1, "new_password2": new2},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "is-invalid" in html and "invalid-feedback" in html
    people.staff_a.refresh_from_db()
    assert people.staff_a.check_password("pw-for-tests")


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/accounts/profile/"


def test_profile_shows_the_users_own_record(client, people):
    user = people.supervisor_a
    user.phone = "13800000000"
    user.save(update_fields=["phone"])
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲县工信和科技局" in html
    assert user.full_name in html and "supervisor_a" in html
    assert "归口管理单位" in html
    assert "supervisor_a@example.cn" in html and "13800000000" in html
    assert "<form" not in html.split('id="main-content"')[1].split("</main>")[0]  # read-only
