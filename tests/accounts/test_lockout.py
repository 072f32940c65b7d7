"""Login lockout that one outsider cannot turn against everyone: django-axes counts failures per
(username, client address), and the client address is taken from X-Forwarded-For only when the
request comes from a trusted proxy (TRUSTED_PROXIES, portal/client_ip.py). A locked pair is freed by
the cool-off or at once by an administrator (the user admin's action)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal.client_ip import client_ip

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
PROXY = "172.30.80.10"
LOCKED = settings.AXES_HTTP_RESPONSE_CODE


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    reset()
    yield
    reset()


def _login(client, username, password, client_address, peer=PROXY):
    client.logout()
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=f"10.9.9.9, {client_address}",
    )


def _lock(client, username, client_address, peer=PROXY):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, username, "wrong", client_address, peer)
    assert response.status_code == LOCKED


def test_an_outsider_locks_only_the_pair_they_tried_not_the_user_elsewhere_nor_the_bureau(client, people):
    _lock(client, "staff_a", "203.0.113.7")
    # the same username from the same client stays locked, even with the right password
    assert _login(client, "staff_a", "pw-for-tests", "203.0.113.7").status_code == LOCKED
    # the real person at their own desk (another client address, same proxy) signs in
    assert _login(client, "staff_a", "pw-for-tests", "198.51.100.20").status_code == 302
    # everybody else behind the same proxy, even from the outsider's address, signs in
    assert _login(client, "bureau_user", "pw-for-tests", "203.0.113.7").status_code == 302
    assert _login(client, "supervisor_a", "pw-for-tests", "198.51.100.21").status_code == 302
    [attempt] = AccessAttempt.objects.filter(username="staff_a")
    assert attempt.ip_address == "203.0.113.7"  # the client, not the proxy


def test_the_forwarded_header_is_ignored_from_anyone_but_the_trusted_proxy(client, people, rf):
    request = rf.post(LOGIN_URL, REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert client_ip(request) == "192.0.2.50"
    request = rf.post(LOGIN_URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.99")
    assert client_ip(request) == "198.51.100.99"
    request = rf.post(LOGIN_URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(request) == PROXY
    # a direct client that forges a fresh address on every try is still counted by its own address
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, "staff_a", "wrong", f"198.51.100.{n + 1}", peer="192.0.2.50")
    assert response.status_code == LOCKED
    assert _login(client, "staff_a", "pw-for-tests", "198.51.100.77", peer="192.0.2.50").status_code == LOCKED
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.50"}


def test_a_locked_pair_is_freed_by_the_cool_off(client, people):
    _lock(client, "staff_a", "203.0.113.7")
    # the cool-off has run out: the attempt is older than AXES_COOLOFF_TIME hours (no clock is read)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    )
    assert _login(client, "staff_a", "pw-for-tests", "203.0.113.7").status_code == 302


def test_an_administrator_unlocks_a_user_from_the_user_admin(client, people):
    _lock(client, "staff_a", "203.0.113.7")
    client.force_login(people.admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [people.staff_a.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="staff_a").exists()
    assert _login(client, "staff_a", "pw-for-tests", "203.0.113.7").status_code == 302
