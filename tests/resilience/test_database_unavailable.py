"""The database does not answer (a restart, a failover): every request that needs it gets the 503
page "服务暂时不可用" with Retry-After and no traceback, and the same process serves again as soon as
the database is back. The database really is unreachable here (a connection to a closed port, or to
a SQLite file that cannot exist); scripts/drills/postgres_restart.py does the same to a PostgreSQL
restarted under load behind gunicorn."""

import pytest
from django.db import connections
from django.test import Client
from django.urls import path, reverse

from tests.factories import PilotBaseFactory
from tests.resilience.conftest import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down():
    """Swap the default connection for one to a database that does not answer."""
    real = connections["default"]
    unreachable = {**real.settings_dict}
    if real.vendor == "sqlite":
        unreachable["NAME"] = "/nonexistent-directory/portal.sqlite3"
    else:
        unreachable.update(HOST="127.0.0.1", PORT=free_port())
    broken = real.__class__(unreachable, alias="default")

    def down():
        connections["default"] = broken

    def up():
        broken.close()
        connections["default"] = real

    yield down, up
    up()


def test_while_the_database_is_down_every_page_is_a_clean_503_and_then_it_recovers(people, database_down):
    down, up = database_down
    base = PilotBaseFactory(host=people.host_a, submitted=True)
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(people.supervisor_a)
    public = Client(raise_request_exception=False)
    step = reverse("bases:step", args=[base.pk, "supervisor_return"])
    pages = [
        (public, reverse("home")),
        (public, reverse("healthz")),  # the load balancer sees the outage
        (signed_in, reverse("workspace")),
        (signed_in, reverse("bases:detail", args=[base.pk])),
    ]

    down()
    for client, url in pages:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 503, url
        assert "服务暂时不可用" in body and "Traceback" not in body and "OperationalError" not in body
        assert response["Retry-After"] == "30"
        assert "no-cache" in response["Cache-Control"]
    refused = signed_in.post(step, {"expected_status": "submitted", "comment": "请补充材料。"})
    assert refused.status_code == 503

    up()  # the same process, no restart
    for client, url in pages:
        assert client.get(url).status_code == 200, url
    done = signed_in.post(step, {"expected_status": "submitted", "comment": "请补充材料。"})
    assert done.status_code == 302
    base.refresh_from_db()
    assert base.status == "returned"


def _fails(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [path("fails/", _fails)]


def test_another_error_is_still_a_500(settings):
    """Only a database that does not answer becomes a 503: a bug stays a 500 (and is logged)."""
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/fails/")
    assert response.status_code == 500
    assert "服务暂时不可用" not in response.content.decode()
