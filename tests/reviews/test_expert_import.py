"""Excel import of the expert pool: a file with errors in several rows applies nothing and
reports each problem by row and column; a clean file applies; the template round-trips."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reviews.imports import COLUMNS, expert_import
from reviews.models import Expert

pytestmark = pytest.mark.django_db
HEADER = [str(column.header) for _name, column in COLUMNS]


def xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    handle = io.BytesIO()
    book.save(handle)
    handle.seek(0)
    return handle


GOOD = [
    ["li_si", "李四", "研究员", "太原理工大学", "新材料、化工", "13800001111", "lisi@example.cn", ""],
    ["wang_wu", "王五", "教授", "山西大学", "新能源", "13800002222", "wangwu@example.cn", ""],
]


def test_errors_in_several_rows_apply_nothing_and_each_is_reported(people):
    rows = [
        GOOD[0],
        ["", "赵六", "教授", "山西大学", "不存在的领域", "123", "bad-mail", ""],
        ["li_si", "钱七", "", "山西大学", "新能源", "13800003333", "qian@example.cn", "不存在的单位"],
    ]
    result = expert_import(actor=people.bureau, file=xlsx(rows), apply=True)
    assert not result.applied and Expert.objects.count() == 0
    by_row = {}
    for row, column, message in result.problems:
        by_row.setdefault(row, []).append((column, message))
    assert set(by_row) == {3, 4}
    assert ("登录用户名", "请填写登录用户名。") in by_row[3]
    assert any(c == "专业领域（以、分隔）" and "不存在的领域" in m for c, m in by_row[3])
    assert any(c == "手机号码" for c, _m in by_row[3]) and any(c == "电子邮箱" for c, _m in by_row[3])
    assert any(c == "登录用户名" and "li_si" in m for c, m in by_row[4])  # the row above takes li_si
    assert any(c == "职称" for c, _m in by_row[4]) and any(
        c == "申报回避单位（以、分隔）" for c, _m in by_row[4]
    )


def test_a_clean_file_is_checked_then_applied(people):
    checked = expert_import(actor=people.bureau, file=xlsx(GOOD), apply=False)
    assert checked.rows == 2 and not checked.problems and not checked.applied
    assert Expert.objects.count() == 0
    applied = expert_import(actor=people.bureau, file=xlsx(GOOD), apply=True)
    assert applied.applied
    assert sorted(Expert.objects.values_list("user__full_name", flat=True)) == ["李四", "王五"]
    chosen = set(Expert.objects.get(user__username="li_si").specialties.values_list("name", flat=True))
    assert chosen == {"化工", "新材料"}


def test_not_a_spreadsheet_or_a_wrong_header_is_a_clear_problem(people):
    assert (
        "无法读取文件"
        in expert_import(actor=people.bureau, file=io.BytesIO(b"not xlsx"), apply=True).problems[0][2]
    )
    book = Workbook()
    book.active.append(["姓名", "手机"])
    handle = io.BytesIO()
    book.save(handle)
    handle.seek(0)
    assert "表头与模板不一致" in expert_import(actor=people.bureau, file=handle, apply=True).problems[0][2]


def test_the_template_downloads_and_the_page_reports_problems(client, people):
    client.force_login(people.bureau)
    response = client.get(reverse("reviews:expert_import_template"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in next(sheet.iter_rows())] == HEADER
    upload = xlsx([["", "赵六", "教授", "山西大学", "新材料", "13800001111", "z@example.cn", ""]])
    upload.name = "experts.xlsx"
    page = client.post(reverse("reviews:expert_import"), {"file": upload, "action": "apply"}).content.decode()
    assert "请填写登录用户名" in page and "未导入任何数据" in page
