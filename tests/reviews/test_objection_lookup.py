"""An objector follows the objection without an account (Art. 8-3): the receipt shows a receipt number
YY-YYYYMMDD-NNNN and a query code once; the lookup page shows status and the bureau's reply to the
right pair only, the same "not found" for an unknown number and a wrong code, and failed lookups are
limited per address like objections."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from portal.parameters import set_parameter
from reviews.models import Objection
from reviews.services import notices as notice_services
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db
LOOKUP = "/notices/objections/lookup/"
NOT_FOUND = "未找到与该受理编号和查询码相符的异议"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def lodge_through_the_page(client, people):
    base = PilotBaseFactory(host=people.host_a, review_passed=True)
    notice = notice_services.notice_publish(
        actor=people.bureau,
        title="公示",
        body="内容",
        starts_on=timezone.localdate(),
        working_days=7,
        bases=[base],
    )
    response = client.post(
        reverse("notices:detail", args=[notice.pk]),
        {
            "entry": notice.entries.get().pk,
            "name": "李四",
            "phone": "13912345678",
            "content": "该基地申报材料与事实不符，请核查。",
        },
    )
    assert response.status_code == 302
    receipt = client.get(response.url).content.decode()
    code = re.search(r"data-code>([^<]+)<", receipt).group(1)
    return Objection.objects.get(), code, response.url


def test_the_receipt_shows_the_number_and_the_code_once_and_stores_only_its_hash(client, people):
    objection, code, url = lodge_through_the_page(client, people)
    assert re.fullmatch(r"YY-\d{8}-\d{4,}", objection.receipt_no)
    assert len(code) == 10 and code not in objection.code_hash and objection.code_matches(code)
    assert "data-code" not in client.get(url).content.decode()  # shown once


def test_the_right_pair_shows_status_and_reply_and_a_wrong_code_reads_as_not_found(client, people):
    objection, code, _url = lodge_through_the_page(client, people)
    client.logout()
    page = client.post(LOOKUP, {"receipt_no": objection.receipt_no, "code": code.lower()}).content.decode()
    assert "待核查" in page and "data-lookup-result" in page and "李四" not in page
    notice_services.objection_resolve(
        actor=people.bureau, objection=objection, upheld=False, resolution="经核查，反映问题不属实。"
    )
    page = client.post(LOOKUP, {"receipt_no": objection.receipt_no, "code": code}).content.decode()
    assert "异议不成立" in page and "经核查，反映问题不属实。" in page
    wrong = client.post(LOOKUP, {"receipt_no": objection.receipt_no, "code": "AAAAAAAAAA"}).content.decode()
    unknown = client.post(LOOKUP, {"receipt_no": "YY-20000101-9999", "code": code}).content.decode()
    for page in (wrong, unknown):
        assert NOT_FOUND in page and "data-lookup-result" not in page
    assert 'value="YY-20000101-9999"' in unknown  # what was typed stays


def test_failed_lookups_are_limited_per_address(client, people):
    objection, code, _url = lodge_through_the_page(client, people)
    set_parameter("objection_hourly_limit", 2)
    for _attempt in range(2):
        assert (
            NOT_FOUND
            in client.post(LOOKUP, {"receipt_no": objection.receipt_no, "code": "X"}).content.decode()
        )
    page = client.post(LOOKUP, {"receipt_no": objection.receipt_no, "code": code}).content.decode()
    assert "查询过于频繁" in page and "data-lookup-result" not in page


def test_an_empty_lookup_says_what_is_missing(client):
    page = client.post(LOOKUP, {"receipt_no": "", "code": ""}).content.decode()
    assert "请填写受理编号。" in page and "请填写查询码。" in page
