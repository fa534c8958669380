"""Every export as a spreadsheet (CSV or XLSX): text stays text, numbers numbers, dates dates, in Vietnam's time.

One helper, `download`, for every table the app lets people take away. What it guarantees:

- No cell is ever a formula. Text that a spreadsheet program would read as one — starting with `=`, `+`, `-`,
  `@`, a tab or a carriage return — gets a leading single quote (OWASP's CSV-injection advice), and XLSX
  cells holding text are written with the string type.
- Characters Excel refuses (control characters; an `\\x01` in a name used to break the export for good)
  and invisible ones (zero-width, bidirectional overrides) are dropped from text cells.
- CSV is UTF-8 with a byte-order mark, so Excel shows Vietnamese diacritics; dates are written dd/mm/yyyy.
- Dates and times are Vietnam's (Asia/Ho_Chi_Minh), in cells and in the file name, whatever the server's zone.
- The file name is plain letters for every browser, and full Vietnamese (RFC 5987 `filename*`) for those that
  read it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flask import Response, abort

from app.vietnam import VIETNAM, local_today, slug

FORMATS = ("csv", "xlsx")
MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or split it into one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Kept in text cells (Excel accepts them); every other control or invisible character is dropped.
_KEPT = frozenset({"\t", "\n", "\r"})
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_SHEET_TITLE_JUNK = re.compile(r"[\[\]:*?/\\']")
DATE_FORMAT, DATETIME_FORMAT = "%d/%m/%Y", "%d/%m/%Y %H:%M"


def safe_text(value: str) -> str:
    """Return text that no spreadsheet program shows as anything but itself (never a formula)."""
    text = "".join(c for c in unicodedata.normalize("NFC", value)
                   if c in _KEPT or unicodedata.category(c) not in _DROPPED_CATEGORIES)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _local(value: dt.datetime) -> dt.datetime:
    """A time as Vietnam's wall clock, without a zone (neither format can carry one)."""
    return value.astimezone(VIETNAM).replace(tzinfo=None) if value.tzinfo else value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def csv_cell(value: Any) -> str:
    """Return a value as one CSV field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if _number(value):
        return str(value)
    if isinstance(value, dt.datetime):
        return _local(value).strftime(DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    return safe_text(str(value))


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Write CSV in UTF-8 with a byte-order mark, every field quoted (Vietnamese Excel splits on `;` too)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell  # here, not at start-up: only exports and imports need openpyxl

    if value is None or _number(value):
        return value
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (dt.datetime, dt.date)):
        cell = WriteOnlyCell(sheet, value=_local(value) if isinstance(value, dt.datetime) else value)
        cell.number_format = "DD/MM/YYYY HH:MM" if isinstance(value, dt.datetime) else "DD/MM/YYYY"
        return cell
    cell = WriteOnlyCell(sheet, value=safe_text(str(value)))
    cell.data_type = "s"  # text, never a formula, whatever it says
    return cell


def sheet_title(title: str) -> str:
    """Return a name Excel accepts for a sheet (no []:*?/\\ or quote, at most 31 characters)."""
    return _SHEET_TITLE_JUNK.sub(" ", safe_text(title).lstrip("'"))[:31].strip() or "Sheet1"


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    """Write a one-sheet Excel workbook with a bold header row."""
    from openpyxl import Workbook  # here, not at start-up: only exports and imports need openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title(title))
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=safe_text(str(header)))
        cell.data_type, cell.font = "s", bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def disposition(name: str, extension: str, *, suffix: str = "") -> str:
    """Return an attachment's Content-Disposition: plain letters, and the full name for browsers reading RFC 5987.

    The suffix (a date) is kept whole however long the name is.
    """
    full = " ".join(safe_text(name).lstrip("'").replace("/", "-").replace("\\", "-").split())
    plain = slug(full)[:80].strip("-") or "tep"
    if suffix:
        full, plain = f"{full} - {suffix}", f"{plain}-{slug(suffix)}"
    return f"attachment; filename={plain}.{extension}; filename*=UTF-8''{quote(f'{full}.{extension}', safe='')}"


def download(fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, name: str,
             sheet: str | None = None, dated: bool = True) -> Response:
    """Answer with a spreadsheet named "<name> - <Vietnam's date>" (404 for a format other than csv or xlsx)."""
    if fmt not in FORMATS:
        abort(404)
    body = csv_bytes(headers, rows) if fmt == "csv" else xlsx_bytes(headers, rows, sheet or name)
    suffix = local_today().isoformat() if dated else ""
    return Response(body, mimetype=MIMETYPES[fmt], headers={"Content-Disposition": disposition(name, fmt,
                                                                                               suffix=suffix)})
