"""The production reverse proxy for real: a private nginx from the committed deploy/nginx/ files in
front of a live portal with X-Accel-Redirect on. Files reach only those the portal lets through."""

import http.client
import os
import shutil
import subprocess
import sys
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import Resolver404, resolve

from bases.services import evidence_attach
from portal.documents.models import Attachment
from tests.deploy import proxy
from tests.factories import PilotBaseFactory
from tests.uploads import pdf

PROTECTED = "/protected-media/"
HOST = "portal.example.gov.cn"


def _get(port, path, cookie=None, host=HOST, gateway_tls=True, method="GET", body=None, headers=None):
    """A request through the proxy as the TLS gateway in front of it would send it
    (X-Forwarded-Proto: https), or as a plain-HTTP client (gateway_tls=False)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"Host": host, **(headers or {})}
    if gateway_tls:
        headers["X-Forwarded-Proto"] = "https"
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


def _session(client, user):
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def running_proxy(settings, live_server, media_root, tmp_path):
    """The stack's settings: X-Accel-Redirect on, behind a TLS proxy."""
    settings.PROTECTED_MEDIA_URL = PROTECTED
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # BEHIND_TLS_PROXY=true
    settings.ALLOWED_HOSTS = [HOST]
    port = proxy.free_port()
    prefix = tmp_path / "nginx"
    web = live_server.url.removeprefix("http://")
    main = proxy.write_config(prefix, web=web, media_root=media_root, http_port=port)
    running = proxy.RunningProxy(prefix, main, port)
    yield running
    running.stop()


@pytest.fixture
def evidence(people, media_root):
    base = PilotBaseFactory(host=people.host_a, name="忻州市甲县受保护文件中试基地")
    attachment = evidence_attach(
        actor=people.staff_a, base=base, condition=1, file=pdf("营业执照（副本）.pdf")
    )
    # A stored name with Chinese and a space, to prove the redirect's path is quoted and decoded
    # right (real uploads get random names; an export job's file keeps its Chinese name).
    content = b"%PDF-1.4\n% \xe6\xb5\x8b\xe8\xaf\x95 " + bytes(range(256)) * 64
    name = default_storage.save("attachments/2026/01/基地 名录.pdf", ContentFile(content))
    chinese = Attachment.objects.create(
        content_object=attachment.content_object,
        purpose="evidence",
        file=name,
        original_name="基地名录 2026.pdf",
        size=len(content),
        mime_type="application/pdf",
        sha256="0" * 64,
    )
    return attachment, chinese, content


@pytest.mark.django_db(transaction=True)
def test_an_authorised_download_through_the_proxy_returns_the_files_bytes(
    client, people, evidence, running_proxy, live_server
):
    attachment, chinese, content = evidence
    cookie = _session(client, people.staff_a)
    for item, expected in ((attachment, attachment.file.open("rb").read()), (chinese, content)):
        url = f"/bases/attachments/{item.pk}/"
        response, body = _get(running_proxy.port, url, cookie)
        assert response.status == 200, (response.status, running_proxy.error_log())
        assert body == expected
        assert response.getheader("Content-Type") == "application/pdf"
        assert response.getheader("Content-Disposition") == (
            f"attachment; filename*=utf-8''{quote(item.original_name)}"
        )
        assert response.getheader("X-Accel-Redirect") is None  # never shown to the client
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert response.getheader("Cache-Control") == "private, no-store"

        # The bytes came from nginx: the portal itself answered with an empty redirect.
        direct, direct_body = _get(int(live_server.url.rsplit(":", 1)[1]), url, cookie)
        assert direct.status == 200 and direct_body == b""
        assert direct.getheader("X-Accel-Redirect") == quote(f"{PROTECTED}{item.file.name}")


@pytest.mark.django_db(transaction=True)
def test_the_protected_location_is_not_reachable_from_outside(client, people, evidence, running_proxy):
    attachment, chinese, _content = evidence
    cookie = _session(client, people.staff_a)
    for item in (attachment, chinese):
        for who in (None, cookie):
            response, body = _get(running_proxy.port, quote(f"{PROTECTED}{item.file.name}"), who)
            assert response.status == 404
            assert b"%PDF" not in body
    # Nor under any other name: the proxy sends everything else to the portal, whose URLconf has no
    # media URL (the test server's own /media/ handler is no part of the portal, so ask the URLconf).
    with pytest.raises(Resolver404):
        resolve(f"/media/{attachment.file.name}")


@pytest.mark.django_db(transaction=True)
def test_an_unauthorised_user_gets_no_bytes_through_the_proxy(client, people, evidence, running_proxy):
    attachment, chinese, _content = evidence
    outsider = _session(client, people.staff_b)  # the other county's host unit
    for item in (attachment, chinese):
        url = f"/bases/attachments/{item.pk}/"
        response, body = _get(running_proxy.port, url, outsider)
        assert response.status == 404 and b"%PDF" not in body
        response, body = _get(running_proxy.port, url)  # not signed in
        assert response.status == 302
        assert response.getheader("Location").startswith("/accounts/login/")
        assert b"%PDF" not in body


@pytest.mark.django_db(transaction=True)
def test_the_proxy_passes_the_scheme_on_and_answers_its_health_check(running_proxy):
    """BEHIND_TLS_PROXY: the gateway's https reaches the portal, so a form posted from the https
    page passes the CSRF origin check; had the scheme been lost on the way it would be refused.
    The health checks answer plain HTTP."""
    response, _body = _get(running_proxy.port, "/accounts/login/")
    assert response.status == 200
    token = SimpleCookie(response.getheader("Set-Cookie"))["csrftoken"].value
    form = {
        "body": urlencode({"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong-password"}),
        "headers": {
            "Cookie": f"csrftoken={token}",
            "Origin": f"https://{HOST}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    }
    response, body = _get(running_proxy.port, "/accounts/login/", method="POST", **form)
    assert response.status == 200 and "CSRF" not in body.decode()  # the form, with its error
    response, body = _get(running_proxy.port, "/accounts/login/", method="POST", gateway_tls=False, **form)
    assert response.status == 403 and b"CSRF" in body

    response, body = _get(running_proxy.port, "/proxy-healthz", gateway_tls=False)
    assert (response.status, body) == (200, b"ok\n")
    response, body = _get(running_proxy.port, "/healthz", gateway_tls=False)  # the portal behind it
    assert response.status == 200 and b'"ok"' in body


@pytest.mark.django_db(transaction=True)
def test_the_web_containers_health_check_passes_allowed_hosts(settings, live_server):
    """deploy/healthcheck.py (Dockerfile HEALTHCHECK) asks gunicorn directly with a Host header from
    ALLOWED_HOSTS: it passes where a bare 127.0.0.1 would be refused, and fails when the portal refuses."""
    settings.ALLOWED_HOSTS = [HOST]
    script = str(proxy.NGINX_DIR.parent / "healthcheck.py")
    url = f"{live_server.url}/healthz"
    for allowed, expected in ((HOST, 0), (f".{HOST}", 0), ("elsewhere.example.org", 1)):
        result = subprocess.run(
            [sys.executable, script, url], env={**os.environ, "ALLOWED_HOSTS": allowed}, capture_output=True
        )
        assert result.returncode == expected, (allowed, result.stderr)


def test_the_committed_configurations_pass_nginx_t(tmp_path):
    """`nginx -t` on both sites, the web upstream pointed at a local address (the name `web`
    resolves only inside the compose network) and a throw-away certificate for the TLS site."""
    certs = tmp_path / "certs"
    certs.mkdir()
    subprocess.run(
        [
            shutil.which("openssl") or "openssl",
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=portal.test",
            "-keyout", str(certs / "privkey.pem"), "-out", str(certs / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    for site, https in (("portal", None), ("portal-tls", proxy.free_port())):
        prefix = tmp_path / site
        main = proxy.write_config(
            prefix,
            site=site,
            web="127.0.0.1:9",
            media_root=tmp_path,
            http_port=proxy.free_port(),
            https_port=https,
            certs=certs,
        )
        result = proxy.check_config(prefix, main)
        assert result.returncode == 0, result.stderr
        assert "test is successful" in result.stderr
