"""办事指南 (public): a page per process with who, documents, deadlines from the configured parameters,
steps and the Measures' articles; linked from the forms and the home page. /contact/ shows the
bureau's configured address, phone and office hours, or says that none is set."""

from datetime import date

import pytest
from django.urls import reverse

from bases.models import Status
from portal.accounts.models import Organisation, OrganisationKind
from portal.guides import GUIDES
from portal.parameters import set_parameter
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db
PROCESSES = ["application", "extension", "acceptance", "change", "annual-report", "objection"]


def test_every_process_has_a_public_guide_linked_from_the_index_and_the_home_page(client):
    assert list(GUIDES) == PROCESSES
    index = client.get("/guide/").content.decode()
    for slug in PROCESSES:
        assert reverse("guide", args=[slug]) in index
        page = client.get(reverse("guide", args=[slug]))
        assert page.status_code == 200
        text = page.content.decode()
        for article in GUIDES[slug].articles:
            assert f"/measures/#art-{article}" in text
        assert "办理期限" in text and "<li>" in text.split("data-deadlines")[1].split("</ul>")[0]
    assert client.get("/guide/no-such-process/").status_code == 404
    assert reverse("guide_index") in client.get("/").content.decode()


def test_the_deadlines_follow_the_configured_parameters(client):
    set_parameter("notice_working_days", 9)
    set_parameter("annual_report_due_month", 2)
    set_parameter("annual_report_due_day", 28)
    assert "公示期为 9 个工作日" in client.get("/guide/objection/").content.decode()
    assert "每年 2 月 28 日前报送" in client.get("/guide/annual-report/").content.decode()


def test_the_forms_link_to_their_guide(client, people):
    base = PilotBaseFactory(
        host=people.host_a, status=Status.UNDER_CONSTRUCTION, approved_on=date(2025, 1, 1)
    )
    client.force_login(people.staff_a)
    extension = client.get(reverse("bases:filing_new", args=[base.pk, "extension"])).content.decode()
    assert reverse("guide", args=["extension"]) in extension
    assert reverse("guide", args=["application"]) in client.get(reverse("bases:create")).content.decode()


def test_contact_shows_the_configured_details_or_says_none_is_set(client, people):
    empty = client.get("/contact/").content.decode()
    assert "data-empty" in empty
    Organisation.objects.filter(kind=OrganisationKind.BUREAU).update(
        address="忻州市忻府区和平街 1 号", contact_phone="0350-3030303"
    )
    set_parameter("office_hours", "工作日 8:30—12:00，14:30—17:30")
    page = client.get("/contact/").content.decode()
    assert "忻州市忻府区和平街 1 号" in page and "0350-3030303" in page and "工作日 8:30—12:00" in page
    assert "data-empty" not in page
