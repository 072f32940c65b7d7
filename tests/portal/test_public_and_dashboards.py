"""The public portal and the dashboards: the Measures with article anchors, the roster
(recognised bases, revoked ones as history, nothing personal), the contact page, and dashboard
figures that equal independent counts in a bounded number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bases.models import PilotBase, Status
from bases.services import funds
from portal.site.dashboards import dashboard
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def test_the_measures_have_an_anchor_per_article(client):
    html = client.get(reverse("measures")).content.decode()
    for number in range(1, 20):
        assert f'id="art-{number}"' in html
    assert "中试基地统一命名为“忻州市+研发方向+中试基地”" in html
    assert "<title>" in html and 'name="description"' in html


def test_the_roster_shows_recognised_bases_and_revoked_history_without_personal_data(client, people):
    people.host_a.contact_phone = "0350-7654321"
    people.host_a.contact_name = "联系人甲"
    people.host_a.save()
    recognised = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2025, 3, 1))
    draft = PilotBaseFactory(host=people.host_a, name="忻州市草稿中试基地", rd_direction="草稿")
    revoked = PilotBaseFactory(
        host=people.host_b, status=Status.REVOKED, recognized_on=date(2023, 1, 1), revoked_on=date(2025, 5, 1)
    )
    PilotBase.objects.filter(pk=revoked.pk).update(revocation_reason="two_consecutive_failures")
    html = client.get(reverse("roster")).content.decode()
    assert recognised.name in html and "2025年3月1日" in html
    assert draft.name not in html
    assert revoked.name in html and "连续两年年度考核不合格" in html
    for secret in ("0350-7654321", "联系人甲", people.staff_a.email, people.staff_a.full_name):
        assert secret not in html
    filtered = client.get(
        reverse("roster"), {"county": people.host_b.region, "q": "无此基地"}
    ).content.decode()
    assert recognised.name not in filtered


def test_contact_page(client):
    assert client.get(reverse("contact")).status_code == 200


def test_dashboard_figures_equal_independent_counts(people):
    for status, n in [(Status.SUBMITTED, 3), (Status.UNDER_CONSTRUCTION, 2), (Status.RECOGNIZED, 4)]:
        for _ in range(n):
            PilotBaseFactory(host=people.host_a, status=status, application_year=2026)
    PilotBaseFactory(host=people.host_b, status=Status.RECOGNIZED)
    base = PilotBase.objects.filter(status=Status.RECOGNIZED).first()
    award = funds.award_create(base=base, today=date(2026, 1, 5))
    funds.award_disburse(
        actor=people.bureau, award=award, disbursed_on=date(2026, 2, 1), voucher_no="V", amount="150000"
    )
    d = dashboard(PilotBase.objects.all())
    states = {bar.url.split("=")[1]: bar.value for bar in d["states"]}
    for status in Status.values:
        assert states[status] == PilotBase.objects.filter(status=status).count()
    counties = {bar.url.split("=")[1].split("&")[0]: bar.value for bar in d["counties"]}
    assert (
        counties[people.host_a.region]
        == PilotBase.objects.filter(status=Status.RECOGNIZED, host__region=people.host_a.region).count()
    )
    assert d["total"] == PilotBase.objects.count()
    assert d["awarded"] == 200000 and d["disbursed"] == 150000


def test_the_supervisor_sees_its_jurisdiction_and_queries_are_bounded(client, people):
    PilotBaseFactory(host=people.host_a, status=Status.SUBMITTED)
    client.force_login(people.supervisor_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("dashboard")).status_code == 200
    for _ in range(20):
        PilotBaseFactory(host=people.host_a, status=Status.RECOGNIZED)
        PilotBaseFactory(host=people.host_b, status=Status.RECOGNIZED)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("dashboard"))
    assert len(many) == len(few) and len(few) < 25
    assert response.context["d"]["total"] == 21


def test_the_host_dashboard_lists_its_bases_with_deadline_grade_and_balance(client, people):
    mine = PilotBaseFactory(
        host=people.host_a, under_construction=True, construction_deadline=date(2027, 6, 1)
    )
    PilotBaseFactory(host=people.host_b, name="忻州市他人中试基地", rd_direction="他人")
    client.force_login(people.staff_a)
    html = client.get(reverse("dashboard")).content.decode()
    assert mine.name in html and "2027年6月1日" in html and "忻州市他人中试基地" not in html
    client.force_login(people.expert)
    assert client.get(reverse("dashboard")).status_code == 404
