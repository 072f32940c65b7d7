"""Import of bases recognised under the 2020 measures: errors in several rows apply
nothing and are each reported by row and column; a clean file enters the bases as recognised, with
their history and host units."""

import io
from datetime import date

import pytest
from django_fsm_log.models import StateLog
from openpyxl import Workbook

from bases.imports import COLUMNS, legacy_import
from bases.models import PilotBase, Status
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db
HEADER = [str(c.header) for _n, c in COLUMNS]


def xlsx(rows):
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    handle = io.BytesIO()
    book.save(handle)
    handle.seek(0)
    return handle


def good(i=1, uscc=None):
    return [
        f"忻州市旧办法{i}号中试基地",
        f"旧办法{i}号",
        f"忻州旧办法{i}号有限公司",
        uscc or make_uscc(),
        "忻府区工信和科技局",
        date(2021, 6, 30),
        "忻科字〔2021〕45号",
    ]


def test_errors_in_several_rows_apply_nothing(people):
    rows = [
        good(1),
        ["中试基地", "旧", "某公司", "123", "无此单位", "不是日期", ""],
        [*good(3)[:5], date(2099, 1, 1), ""],
    ]
    result = legacy_import(actor=people.bureau, file=xlsx(rows), apply=True)
    assert not result.applied and not PilotBase.objects.filter(name__startswith="忻州市旧办法").exists()
    columns = {(row, column) for row, column, _m in result.problems}
    assert {
        (3, "基地名称"),
        (3, "统一社会信用代码"),
        (3, "归口管理单位"),
        (3, "认定日期"),
        (4, "认定日期"),
    } <= columns
    assert all(row != 2 for row, _c, _m in result.problems)


def test_a_clean_file_enters_recognised_bases_with_history(people):
    uscc = make_uscc()
    result = legacy_import(actor=people.bureau, file=xlsx([good(1, uscc), good(2)]), apply=True)
    assert result.applied and result.rows == 2
    base = PilotBase.objects.get(name="忻州市旧办法1号中试基地")
    assert base.status == Status.RECOGNIZED and base.recognized_on == date(2021, 6, 30)
    assert base.host.uscc == uscc and base.supervising_unit.name == "忻府区工信和科技局"
    log = StateLog.objects.for_(base).get()
    assert (
        log.state == Status.RECOGNIZED
        and "忻科规〔2020〕1号" in log.description
        and "45号" in log.description
    )
    again = legacy_import(actor=people.bureau, file=xlsx([good(1, uscc)]), apply=False)
    assert any("已有名为" in m for _r, _c, m in again.problems)
