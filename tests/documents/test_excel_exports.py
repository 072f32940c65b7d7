"""Excel exports: the roster honours the list's filters and the user's scope, has Chinese
headers, a frozen header row, dates as dates and money as numbers, and round-trips through openpyxl;
the query count does not grow with the number of bases."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from bases.models import Status
from bases.services import funds
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_roster_export_round_trips_with_types_filters_and_scope(client, people):
    base = PilotBaseFactory(
        host=people.host_a, recognized=True, recognized_on=date(2026, 5, 6), name="忻州市导出测试中试基地"
    )
    award = funds.award_create(base=base, today=date(2026, 5, 6))
    funds.award_disburse(
        actor=people.bureau, award=award, disbursed_on=date(2026, 6, 1), voucher_no="V1", amount="200000"
    )
    funds.ledger_record(
        actor=people.staff_a,
        base=base,
        direction="expenditure",
        entry_on=date(2026, 6, 2),
        amount="1234.50",
        payee="供应商",
        category="research",
    )
    PilotBaseFactory(host=people.host_b, recognized=True, name="忻州市乙县中试基地", rd_direction="乙县")
    PilotBaseFactory(host=people.host_a, status=Status.DRAFT, name="忻州市草稿中试基地", rd_direction="草稿")

    client.force_login(people.bureau)
    sheet = workbook(client.get(reverse("bases:export"), {"status": "recognized"})).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "基地名称" and sheet.freeze_panes == "A2"
    names = [r[0] for r in rows[1:]]
    assert sorted(names) == sorted(["忻州市导出测试中试基地", "忻州市乙县中试基地"])
    row = next(r for r in rows[1:] if r[0] == "忻州市导出测试中试基地")
    assert row[6] == "已认定" and row[10].date() == date(2026, 5, 6)
    assert row[13] == 200000 and row[14] == 1234.5  # numbers, not text

    client.force_login(people.staff_a)
    sheet = workbook(client.get(reverse("bases:export"))).active
    names = [r[0] for r in list(sheet.iter_rows(values_only=True))[1:]]
    assert "忻州市乙县中试基地" not in names and "忻州市草稿中试基地" in names


def test_the_roster_export_runs_a_fixed_number_of_queries(client, people):
    client.force_login(people.bureau)
    for _ in range(3):
        PilotBaseFactory(host=people.host_a, recognized=True)
    with CaptureQueriesContext(connection) as few:
        workbook(client.get(reverse("bases:export")))
    for _ in range(30):
        PilotBaseFactory(host=people.host_b, recognized=True)
    with CaptureQueriesContext(connection) as many:
        workbook(client.get(reverse("bases:export")))
    assert len(many) == len(few)


def test_the_ledger_export_has_money_as_numbers(client, people):
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2026, 5, 6))
    award = funds.award_create(base=base, today=date(2026, 5, 6))
    funds.award_disburse(
        actor=people.bureau, award=award, disbursed_on=date(2026, 6, 1), voucher_no="V1", amount="200000"
    )
    client.force_login(people.staff_a)
    sheet = workbook(client.get(reverse("bases:ledger_export", args=[base.pk]))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "收入" and rows[1][3] == 200000 and rows[1][0].date() == date(2026, 6, 1)
    client.force_login(people.staff_b)
    assert client.get(reverse("bases:ledger_export", args=[base.pk])).status_code == 404


def test_applications_grades_and_panel_scores_export(client, people):
    from assessments.models import AnnualGrade

    submitted = PilotBaseFactory(
        host=people.host_a, submitted=True, name="忻州市申报中中试基地", rd_direction="申报中"
    )
    PilotBaseFactory(
        host=people.host_a, recognized=True, name="忻州市已认定甲中试基地", rd_direction="已认定甲"
    )
    graded = PilotBaseFactory(
        host=people.host_a, recognized=True, name="忻州市考核中试基地", rd_direction="考核"
    )
    from assessments.services.reporting import round_open

    round_open(actor=people.bureau, year=2025, today=date(2026, 1, 5))
    AnnualGrade.objects.create(
        base=graded, year=2025, grade="good", graded_by=people.bureau, graded_on=date(2026, 3, 1)
    )
    client.force_login(people.bureau)
    rows = list(workbook(client.get(reverse("bases:applications_export"))).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [submitted.name]
    rows = list(workbook(client.get(reverse("assessments:grid_export"))).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("基地名称", "依托单位", "2025") and rows[1][2] == "良好"
