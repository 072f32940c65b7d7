"""A form posted twice — the same CSRF token and data, one after the other or at the same moment —
has one effect. Creates carry a one-time token (portal.resilience.submitted_once): the second post is
told it was already done and sent to what the first created. A step is guarded by its state machine:
the second post is told someone acted first. A filing is guarded by its own rule (one open per base)."""

import re
import threading
from datetime import date, timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from bases.models import LedgerEntry, PilotBase, Status, TaskBook
from reviews.models import Objection, PublicNotice
from tests.factories import PilotBaseFactory
from tests.resilience.conftest import ON_POSTGRES

ALREADY_DONE = "该表单已经提交过，未重复办理。"
SOMEONE_FIRST = "该事项已被他人处理"


def _form(client, url) -> dict:
    """GET the page as a browser would: the CSRF token and the one-time token of its form."""
    page = client.get(url).content.decode()
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"', page))
    assert "csrfmiddlewaretoken" in fields
    return fields


def _browser(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def _twin(client) -> Client:
    """A second connection of the same browser: the same cookies (session, CSRF)."""
    twin = Client(enforce_csrf_checks=True)
    twin.cookies = client.cookies
    return twin


def _notice_with(base) -> PublicNotice:
    today = timezone.localdate()
    notice = PublicNotice.objects.create(
        title="公示",
        body="公示内容",
        starts_on=today - timedelta(days=1),
        working_days=7,
        ends_on=today + timedelta(days=9),
        published_by=base.created_by,
    )
    notice.entries.create(base=base)
    return notice


def _objection_data(notice) -> dict:
    return {
        "entry": notice.entries.get().pk,
        "name": "张三",
        "organisation": "某单位",
        "phone": "13500001111",
        "email": "",
        "content": "该基地申报材料中的设备清单与实际不符，请核查。",
    }


def _cases(people):
    """(url, who posts, data, count of the effect) for each create form."""
    recognized = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2025, 1, 1))
    approved = PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 6, 1))
    notice = _notice_with(PilotBaseFactory(host=people.host_a, status=Status.IN_NOTICE))
    return {
        "application": (
            reverse("bases:create"),
            people.staff_a,
            {"rd_direction": "新材料", "name": "忻州市新材料中试基地"},
            lambda: PilotBase.objects.filter(name="忻州市新材料中试基地").count(),
        ),
        "ledger entry": (
            reverse("bases:ledger", args=[recognized.pk]),
            people.bureau,
            {
                "form": "entry",
                "entry_on": timezone.localdate().isoformat(),
                "amount": "1000.00",
                "payee": "忻州市财政局",
                "note": "配套资金",
            },
            lambda: LedgerEntry.objects.filter(base=recognized).count(),
        ),
        "objection": (
            reverse("notices:detail", args=[notice.pk]),
            None,
            _objection_data(notice),
            lambda: Objection.objects.count(),
        ),
        "task book": (
            reverse("bases:filing_new", args=[approved.pk, "task-book"]),
            people.staff_a,
            {
                "goals": "目标",
                "construction_content": "内容",
                "staffing": "人员",
                "expected_outputs": "成果",
                "milestones-TOTAL_FORMS": "1",
                "milestones-INITIAL_FORMS": "0",
                "milestones-0-year": "2026",
                "milestones-0-content": "任务",
            },
            lambda: TaskBook.objects.filter(base=approved).count(),
        ),
    }


CREATES = ["application", "ledger entry", "objection", "task book"]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CREATES)
def test_a_create_posted_twice_in_a_row_has_one_effect(people, case):
    url, user, data, effect = _cases(people)[case]
    client = _browser(user)
    body = {**data, **_form(client, url)}
    first = client.post(url, body)
    assert first.status_code == 302, first.content.decode()[:2000]
    second = client.post(url, body, follow=True)
    assert second.status_code == 200
    assert effect() == 1
    page = second.content.decode()
    if case == "task book":  # the filing's own rule answers on the form
        assert "该基地已有建设计划任务书" in page
    else:
        assert ALREADY_DONE in page
        assert second.redirect_chain[0][0] == first.url  # sent to what the first post created


@pytest.mark.django_db
def test_a_create_refused_then_corrected_is_not_taken_for_a_duplicate(people):
    """The token is spent only by a post that had its effect."""
    url = reverse("bases:create")
    client = _browser(people.staff_a)
    tokens = _form(client, url)
    refused = client.post(url, {"rd_direction": "新材料", "name": "不合规的名称", **tokens})
    assert refused.status_code == 200
    accepted = client.post(url, {"rd_direction": "新材料", "name": "忻州市新材料中试基地", **tokens})
    assert accepted.status_code == 302
    assert PilotBase.objects.filter(name="忻州市新材料中试基地").count() == 1


@pytest.mark.django_db
def test_a_step_posted_twice_in_a_row_is_taken_once_and_the_second_is_told_why(people):
    base = PilotBaseFactory(host=people.host_a, submitted=True)
    url = reverse("bases:step", args=[base.pk, "supervisor_return"])
    client = _browser(people.supervisor_a)
    body = {"expected_status": "submitted", "comment": "请补充近三年审计报告。", **_form(client, url)}
    assert client.post(url, body).status_code == 302
    second = client.post(url, body, follow=True)
    assert second.status_code == 200
    assert SOMEONE_FIRST in second.content.decode()
    assert StateLog.objects.for_(base).filter(transition="supervisor_return").count() == 1


# --- at the same moment (two threads, two database connections) -------------------------------------
def _post_together(client, url, body, n=2):
    """n requests of one browser at the same moment; their status codes."""
    barrier = threading.Barrier(n)
    statuses, errors = [], []

    def post(c):
        try:
            barrier.wait(timeout=10)
            statuses.append(c.post(url, body).status_code)
        except Exception as exc:  # reported by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=(c,)) for c in [client, *(_twin(client) for _ in range(n - 1))]
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return sorted(statuses)


needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="concurrent writers need PostgreSQL (SQLite serialises them; the in-a-row tests run there)",
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", CREATES)
def test_a_create_posted_twice_at_once_has_one_effect(people, case):
    url, user, data, effect = _cases(people)[case]
    client = _browser(user)
    statuses = _post_together(client, url, {**data, **_form(client, url)})
    assert 500 not in statuses
    assert effect() == 1
    if case == "task book":
        assert statuses == [200, 302]  # the loser sees the rule on the form
    else:
        assert statuses == [302, 302]  # the loser is sent to the winner's result


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_step_posted_twice_at_once_is_taken_once(people):
    base = PilotBaseFactory(host=people.host_a, submitted=True)
    url = reverse("bases:step", args=[base.pk, "supervisor_return"])
    client = _browser(people.supervisor_a)
    body = {"expected_status": "submitted", "comment": "请补充近三年审计报告。", **_form(client, url)}
    statuses = _post_together(client, url, body)
    assert 500 not in statuses and 302 in statuses
    assert StateLog.objects.for_(base).filter(transition="supervisor_return").count() == 1
    base.refresh_from_db()
    assert base.status == "returned"
