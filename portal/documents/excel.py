"""Excel exports (openpyxl, write-only, streamed from a temporary file): Chinese headers, a frozen
header row, column widths, dates as dates and money as numbers with two places.

Text a person typed is written as text, never as a formula (OWASP "CSV injection"): a string that
begins with one of `FORMULA_TRIGGERS` becomes a string cell with Excel's own "quote prefix" flag, so
Excel and WPS show exactly what was typed and evaluate nothing; numbers and dates stay typed."""

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
# What makes a spreadsheet read a cell as a formula (OWASP), with the full-width forms a Chinese IME
# types, which some spreadsheet programs accept as well.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14
    kind: str = "text"  # text, date, money, int


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """A string cell that stays a string: openpyxl would store "=..." as a formula, and Excel reads
    "+...", "-...", "@..." as one when the cell is edited; the quote prefix keeps it text."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl made "=..." a formula ("f"): a string, whatever it starts with
    cell.quotePrefix = True
    return cell


def _cell(sheet, value, column: Column):
    """A plain value where no format is needed (openpyxl makes the cell), a styled cell for dates
    and money: a 100,000-row export spends most of its time in openpyxl's cells (docs/performance.md)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and column.kind != "money":
        return text_cell(sheet, value)
    if value is None or column.kind in ("text", "int"):
        return value
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if column.kind == "money" and value is not None:
        value = Decimal(value).quantize(Decimal("0.01"))
    cell = WriteOnlyCell(sheet, value=value)
    if column.kind == "date" and isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif column.kind == "money":
        cell.number_format = MONEY_FORMAT
    return cell


def write_workbook(handle, title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> int:
    """Write one sheet to `handle`; returns the number of data rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="F2DCDB")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font, cell.fill, cell.alignment = header_font, header_fill, Alignment(horizontal="center")
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value, column) for value, column in zip(row, columns, strict=True)])
        count += 1
    workbook.save(handle)
    return count


def excel_response(
    filename: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence]
) -> FileResponse:
    """The workbook as a download, written to a temporary file first so memory stays flat."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it
    write_workbook(handle, title, columns, rows)
    return dated_download(
        handle, filename, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def dated_download(handle, filename: str, extension: str, content_type: str) -> FileResponse:
    """A file written to `handle` as a download named with today's date (…-20260101.xlsx)."""
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}-{timezone.localdate():%Y%m%d}.{extension}",
        content_type=content_type,
    )
