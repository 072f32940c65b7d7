"""The shared machinery of Excel imports: read the template's sheet, check its header,
run every row inside one transaction, collect each problem as (row, column header, message), and
keep the rows only when nothing is wrong and the person asked to apply (a dry run otherwise)."""

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from portal.documents.excel import Column
from portal.parameters import get_parameter

# An xlsx is a zip: its parts, uncompressed, may be this many times the file's limit (a real
# workbook's parts are 3-10 times its size). zipfile never inflates a part beyond its declared size.
UNCOMPRESSED_FACTOR = 10


def import_file_problem(file) -> str | None:
    """Why a workbook is refused before a byte of it is parsed (too large on disk or inflated), or None."""
    max_mb = get_parameter("import_max_mb")
    limit = max_mb * 1024 * 1024
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        return _("文件大小为 %(size).1f MB，超过导入上限 %(max)d MB。请分批导入。") % {
            "size": size / 1024 / 1024,
            "max": max_mb,
        }
    try:
        with zipfile.ZipFile(file) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("无法读取文件，请使用下载的模板（.xlsx）。")
    finally:
        file.seek(0)
    if inflated > limit * UNCOMPRESSED_FACTOR:
        return _("文件解压后内容超过 %(max)d MB（单元格内容异常大），不予导入。请使用下载的模板。") % {
            "max": max_mb * UNCOMPRESSED_FACTOR
        }
    return None


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
    problem = import_file_problem(file)
    if problem:
        result.problems.append((0, "", problem))
        return result
    max_rows = get_parameter("import_max_rows")
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
            for number, row in enumerate(rows, start=2):  # streamed: one row in memory at a time
                values = dict(zip(names, row, strict=False))
                if not any(values.values()):
                    continue
                result.rows += 1
                if result.rows > max_rows:
                    result.problems.append(
                        (number, "", _("超过导入行数上限 %(max)d 行，请分批导入。") % {"max": max_rows})
                    )
                    break
                for name, message in handle_row(values):
                    column = headers.get((column_of or {}).get(name, name), "")
                    result.problems.append((number, column, str(message)))
            if result.problems or not apply:
                raise _Rollback
    except _Rollback:
        return result
    result.applied = True
    return result
