"""Reading and writing spreadsheets (CSV and XLSX) with Vietnamese text intact."""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from app.errors import DomainError
from app.people.names import search_key

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    """A column an import understands, with the header spellings people actually use."""

    key: str
    header: str  # the Vietnamese header written in templates and exports
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Row:
    """One data row: its number as a spreadsheet program shows it, and its values by column key."""

    number: int
    values: dict[str, str]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _raw_rows(filename: str, data: bytes) -> list[list[str]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            raise DomainError(_l("Tệp %(name)s không phải tệp Excel (.xlsx) hợp lệ.", name=filename)) from None
        sheet = book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError(_l("Tệp %(name)s không ở bảng mã UTF-8. Trong Excel, chọn \"Lưu thành\" → "
                                 "\"CSV UTF-8 (phân tách bằng dấu phẩy)\".", name=filename)) from None
        sample = text[:4096]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise DomainError(_l("Chỉ nhận tệp .csv hoặc .xlsx."))


def read_table(filename: str, data: bytes, columns: Sequence[Column]) -> list[Row]:
    """Read a file's rows by header name; raise DomainError naming what is wrong with the file."""
    raw = _raw_rows(filename, data)
    start = next((i for i, values in enumerate(raw) if any(values)), None)
    if start is None:
        raise DomainError(_l("Tệp %(name)s không có dữ liệu.", name=filename))
    lookup = {}
    for column in columns:
        for spelling in (column.header, column.key, *column.aliases):
            lookup[search_key(spelling)] = column.key
    header_row = raw[start]
    positions: dict[str, int] = {}
    for index, header in enumerate(header_row):
        key = lookup.get(search_key(header))
        if key is not None and key not in positions:
            positions[key] = index
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        raise DomainError(_l("Tệp %(name)s thiếu cột: %(cols)s. Dòng đầu tiên phải là tên cột.",
                             name=filename, cols=", ".join(missing)))
    rows = []
    # Row numbers as the spreadsheet program shows them (1-based, counting blank rows).
    for index in range(start + 1, len(raw)):
        values = raw[index]
        if any(values):
            rows.append(Row(index + 1, {key: values[i] if i < len(values) else "" for key, i in positions.items()}))
    if len(rows) > MAX_ROWS:
        raise DomainError(_l("Tệp có %(n)s dòng; mỗi lần chỉ nhập tối đa %(max)s dòng. Hãy chia nhỏ tệp.",
                             n=len(rows), max=MAX_ROWS))
    return rows


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Write CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    """Write a one-sheet Excel workbook with a bold header row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Sheet1")
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=h)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
