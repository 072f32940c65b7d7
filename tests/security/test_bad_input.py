"""Bad input, bounded: dates outside 1949–2100 are refused on every form and date query parameter
(no 500); amounts and areas are plain, non-negative decimals ("1e3" and full-width digits refused
with a message saying how to write them); an objector's real name is checked on what shows, after
removing invisible and full-width spaces; an Excel import is refused before it is read when the file
or its inflated content is too large, and stops at a row limit (parameters import_max_mb and
import_max_rows) — portal/forms.py, portal/text.py, portal/documents/imports.py."""

import io
import zipfile
from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bases.models import LedgerEntry
from portal.models import Parameter
from reviews.imports import COLUMNS, expert_import
from reviews.models import Expert, Objection
from reviews.services import notices as services
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["9999-12-31", "1948-12-31", "2101-01-01", "0001-01-01"])
def test_every_date_field_refuses_a_date_outside_1949_to_2100(raw):
    for field in (forms.DateField(), forms.DateTimeField()):
        with pytest.raises(ValidationError) as refused:
            field.clean(raw)
        assert "1949-01-01 至 2100-12-31" in refused.value.messages[0]
    assert forms.DateField().clean("2026-05-06") == date(2026, 5, 6)


def test_the_notice_period_query_with_a_far_date_is_no_500(client, people):
    client.force_login(people.bureau)
    url = reverse("reviews:notice_period")
    for raw in ("9999-12-31", "0001-01-01", "2026-13-45", "x"):
        response = client.get(url, {"starts_on": raw, "working_days": "7"})
        assert response.status_code == 200, raw
    assert client.get(url, {"starts_on": "2026-09-30", "working_days": "7"}).status_code == 200


@pytest.fixture
def ledger(client, people):
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2025, 1, 1))
    client.force_login(people.bureau)
    return base, reverse("bases:ledger", args=[base.pk])


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e3", "不要使用科学计数法"),
        ("１０００", "半角数字"),
        ("-5", "不能为负数"),
        ("NaN", "不要使用科学计数法"),
        ("1000元", "金额须为数字"),
    ],
)
def test_an_amount_must_be_a_plain_non_negative_decimal(client, ledger, amount, message):
    base, url = ledger
    post = {"form": "entry", "entry_on": "2026-06-01", "amount": amount, "payee": "市科技局", "note": ""}
    response = client.post(url, post)
    assert response.status_code == 200 and message in response.content.decode()
    assert not LedgerEntry.objects.filter(base=base).exists()
    # a date far out is refused on the same form, the rest of what was typed is kept
    response = client.post(url, {**post, "amount": "1000.00", "entry_on": "9999-12-31"})
    assert response.status_code == 200 and "2100-12-31" in response.content.decode()
    assert not LedgerEntry.objects.filter(base=base).exists()
    assert client.post(url, {**post, "amount": "1000.00"}).status_code == 302
    assert LedgerEntry.objects.filter(base=base).count() == 1


def test_net_assets_may_be_negative_but_an_area_may_not(client, people):
    base = PilotBaseFactory(host=people.host_a)
    from bases.forms import section_form_class

    form = section_form_class("finances")(
        {"net_assets_wan": "-120.50", "total_assets_wan": "-1"}, instance=base, section="finances"
    )
    form.is_valid()
    assert "net_assets_wan" not in form.errors and "不能为负数" in str(form.errors["total_assets_wan"])
    area = forms.DecimalField(max_digits=10, decimal_places=2)
    with pytest.raises(ValidationError):
        area.clean("-1")


@pytest.fixture
def notice(people):
    today = timezone.localdate()
    base = PilotBaseFactory(host=people.host_a, review_passed=True)
    return services.notice_publish(
        actor=people.bureau,
        title="公示",
        body="现予以公示。",
        starts_on=today,
        working_days=7,
        bases=[base],
        contact="",
        today=today,
    )


@pytest.mark.parametrize(
    "name", ["\u200b\u3000", "\u3000\u3000", "匿\u200b名", "匿\u3000名", "\ufeff某\u200d某"]
)
def test_an_objectors_real_name_is_checked_on_what_shows(client, notice, name):
    response = client.post(
        reverse("notices:detail", args=[notice.pk]),
        {
            "entry": notice.entries.get().pk,
            "name": name,
            "phone": "13500001111",
            "content": "该基地申报的设备与实际不符，请核查。",
        },
    )
    assert response.status_code == 200
    assert not Objection.objects.exists()


def test_a_real_name_with_hidden_characters_is_stored_as_it_shows(client, notice):
    response = client.post(
        reverse("notices:detail", args=[notice.pk]),
        {
            "entry": notice.entries.get().pk,
            "name": "\u200b张\u200b三\u3000",
            "phone": "13500001111",
            "content": "该基地申报的设备与实际不符，请核查。",
        },
    )
    assert response.status_code == 302
    assert Objection.objects.get().name == "张三"


def _workbook(rows) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([str(column.header) for _name, column in COLUMNS])
    for row in rows:
        book.active.append(row)
    handle = io.BytesIO()
    book.save(handle)
    handle.seek(0)
    handle.size = len(handle.getvalue())
    return handle


def test_an_import_whose_content_inflates_past_the_limit_is_refused_before_it_is_read(people, monkeypatch):
    Parameter.objects.create(key="import_max_mb", value="1")
    # a few KB on disk, 11 MB inflated: a part of zeros, as a 500 MB cell would be
    handle = _workbook([])
    with zipfile.ZipFile(handle, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings2.xml", b"0" * (11 * 1024 * 1024))
    handle.seek(0)
    handle.size = len(handle.getvalue())
    assert handle.size < 100_000

    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr("portal.documents.imports.load_workbook", never)
    result = expert_import(actor=people.bureau, file=handle, apply=True)
    assert not result.applied and "解压后内容超过 10 MB" in result.problems[0][2]
    big = io.BytesIO(b"x")
    big.size = 2 * 1024 * 1024
    result = expert_import(actor=people.bureau, file=big, apply=True)
    assert "超过导入上限 1 MB" in result.problems[0][2]
    assert openpyxl  # the real reader stays importable


def test_an_import_stops_at_the_row_limit_and_applies_nothing(people):
    Parameter.objects.create(key="import_max_rows", value="3")
    rows = [
        [f"row_{n}", f"专家{n}", "教授", "山西大学", "新材料", f"1380000{n:04d}", f"e{n}@example.cn", ""]
        for n in range(5)
    ]
    result = expert_import(actor=people.bureau, file=_workbook(rows), apply=True)
    assert not result.applied
    assert any("超过导入行数上限 3 行" in message for _row, _col, message in result.problems)
    assert not Expert.objects.filter(user__username__startswith="row_").exists()
