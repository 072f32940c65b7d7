"""The shared machinery of Excel imports (issue [G]): read the template's sheet, check its header,
run every row inside one transaction, collect each problem as (row, column header, message), and
keep the rows only when nothing is wrong and the person asked to apply (a dry run otherwise)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from portal.documents.excel import Column


@dataclass
class ImportResult:
    rows: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column header, message)
    applied: bool = False


class _Rollback(Exception):
    pass


def run_import(
    *,
    file,
    columns: Sequence[tuple[str, Column]],
    apply: bool,
    handle_row: Callable[[dict], list[tuple[str, str]]],
    column_of: dict[str, str] | None = None,
) -> ImportResult:
    """`handle_row(values)` writes one row and returns its problems as (field, message); `column_of`
    maps extra field names a service reports (e.g. "affiliation") to a column's field."""
    result = ImportResult()
    try:
        sheet = load_workbook(file, read_only=True, data_only=True).active
    except Exception:  # not an xlsx at all: say so, never a 500
        result.problems.append((0, "", _("无法读取文件，请使用下载的模板（.xlsx）。")))
        return result
    headers = {name: str(column.header) for name, column in columns}
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header or [str(h or "").strip() for h in header[: len(columns)]] != list(headers.values()):
        result.problems.append((1, "", _("表头与模板不一致，请使用下载的模板。")))
        return result
    names = [name for name, _column in columns]
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=2):
                values = dict(zip(names, row, strict=False))
                if not any(values.values()):
                    continue
                result.rows += 1
                for name, message in handle_row(values):
                    column = headers.get((column_of or {}).get(name, name), "")
                    result.problems.append((number, column, str(message)))
            if result.problems or not apply:
                raise _Rollback
    except _Rollback:
        return result
    result.applied = True
    return result
