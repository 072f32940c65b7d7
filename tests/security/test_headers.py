"""Security headers under the production settings, over HTTPS: HSTS, X-Frame-Options, nosniff,
Referrer-Policy, Cross-Origin-Opener-Policy and the CSP; plain HTTP is redirected to HTTPS except the
health check; the session and CSRF cookies are Secure, HttpOnly (session) and SameSite=Lax."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    """What portal/settings.py gives with DEBUG off (settings_test.py turns only the redirect off)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


@pytest.mark.parametrize("name", ["home", "accounts:login", "notices:list"])
def test_security_headers_over_https(client, production, name):
    response = client.get(reverse(name), secure=True)
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_signed_in_pages_have_the_headers_too(client, production, people):
    client.force_login(people.bureau)
    response = client.get(reverse("workspace"), secure=True)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_plain_http_is_redirected_to_https_but_the_health_check_answers(client, production):
    response = client.get(reverse("roster"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/roster/"
    health = client.get(reverse("healthz"))
    assert health.status_code == 200
    assert "Strict-Transport-Security" not in health.headers  # never sent over plain HTTP


def test_behind_the_tls_proxy_a_forwarded_https_request_is_secure(client, production):
    production.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(reverse("roster"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response.headers


def test_session_and_csrf_cookies_are_secure(client, production, people):
    login = client.get(reverse("accounts:login"), secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("accounts:login"),
        {"username": people.staff_a.username, "password": "pw-for-tests"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
