"""Write a report's figures as an Excel workbook: plain value in, XLSX bytes out, one sheet per table.

Each sheet says whose report it is (subtitle and issuer), then the table's caption, its header row (bold, frozen)
and its rows. Numbers stay numbers so they can be summed; every text cell goes through `safe_text`, so nothing a
person typed ever runs as a formula.
"""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.document import ReportDocument, Table
from app.spreadsheets import safe_text, sheet_title

MAX_TITLE = 31  # Excel's limit on a sheet name
MIN_WIDTH, MAX_WIDTH = 8, 60  # column widths, in characters
HEADER_ROW = 3  # row 1: whose report; row 2: the caption; row 3: the column headers


def _text(sheet: Worksheet, row: int, column: int, value: str, *, bold: bool = False, italic: bool = False) -> None:
    """Write a text cell that can never be a formula."""
    cell = sheet.cell(row=row, column=column, value=safe_text(value))
    cell.data_type = "s"  # text, whatever it says
    if bold or italic:
        cell.font = Font(bold=bold, italic=italic)


def _value(sheet: Worksheet, row: int, column: int, value: str | int | float | None) -> None:
    """Write one figure: numbers as numbers, nothing for a missing one, the rest as safe text."""
    if value is None:
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.cell(row=row, column=column, value=value)
    else:
        _text(sheet, row, column, str(value))


def _unique_title(wanted: str, taken: set[str]) -> str:
    """Return a valid sheet name not yet used (Excel compares them regardless of case)."""
    base = sheet_title(wanted)
    title, n = base, 1
    while title.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: MAX_TITLE - len(suffix)].rstrip() + suffix
    taken.add(title.casefold())
    return title


def _fit_columns(sheet: Worksheet, table: Table) -> None:
    """Size each column to its longest header or cell, within reason (wrapped header text shows whole)."""
    columns = max(len(table.headers), *(len(row) for row in table.rows), 1)
    for index in range(columns):
        texts = [table.headers[index]] if index < len(table.headers) else []
        texts += [str(row[index]) for row in table.rows if index < len(row) and row[index] is not None]
        longest = max((len(text) for text in texts), default=0)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)


def _whose(document: ReportDocument) -> str:
    return " — ".join(part for part in (document.subtitle, document.issuer) if part)


def _sheet(book: Workbook, document: ReportDocument, table: Table, title: str) -> None:
    sheet = book.create_sheet(title=title)
    _text(sheet, 1, 1, _whose(document), bold=True)
    if table.caption:
        _text(sheet, 2, 1, table.caption, italic=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    for column, header in enumerate(table.headers, start=1):
        _text(sheet, HEADER_ROW, column, header, bold=True)
        sheet.cell(row=HEADER_ROW, column=column).alignment = wrap
    for row_number, row in enumerate(table.rows, start=HEADER_ROW + 1):
        for column, value in enumerate(row, start=1):
            _value(sheet, row_number, column, value)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)  # headers stay in view while scrolling
    _fit_columns(sheet, table)


def xlsx_bytes(document: ReportDocument) -> bytes:
    """Write the report's figures tables as an Excel workbook, one sheet per table."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = safe_text(" ".join(part for part in (document.title, document.subtitle) if part))
    book.properties.subject = safe_text(document.metadata.get("subject", document.subtitle))
    book.properties.creator = safe_text(document.metadata.get("author", document.issuer))
    book.properties.language = "vi-VN"
    taken: set[str] = set()
    for number, table in enumerate(document.tables(), start=1):
        wanted = table.sheet or table.caption or _("Bảng %(number)s", number=number)
        _sheet(book, document, table, _unique_title(wanted, taken))
    if not taken:
        sheet = book.create_sheet(title=sheet_title(_("Báo cáo")))
        _text(sheet, 1, 1, _whose(document), bold=True)
        _text(sheet, 2, 1, _("Báo cáo không có bảng số liệu"))
        sheet.column_dimensions["A"].width = MAX_WIDTH
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
