"""Reading uploaded spreadsheets (CSV and XLSX) into rows, safely: hostile files get a message, not a busy worker.

Every cell is cleaned like any text at the door (`app.text.clean_text`). An XLSX file is a zip of XML: it is
inspected before parsing (total uncompressed size, compression ratio, the sheet's declared size), then read
as a stream that stops at a row and column cap, so a small file that expands to a million rows costs
nothing. Writing spreadsheets is `app.spreadsheets`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.errors import DomainError
from app.spreadsheets import FORMULA_STARTS
from app.text import clean_text
from app.vietnam import search_key

log = logging.getLogger(__name__)

# Defaults; a deployment may set IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS and IMPORT_MAX_UNCOMPRESSED_BYTES.
MAX_ROWS = 20_000  # data rows in one file
MAX_COLUMNS = 50
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all the parts of an XLSX file, unzipped
MAX_RATIO = 100  # a part unzipping to over 100 times its stored size is a zip bomb, not a list of names
RATIO_FLOOR = 1024 * 1024  # ... once it is over 1 MB (tiny parts compress well)
BLANK_ROWS_ALLOWED = 1_000  # blank rows are skipped, but not without end
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")


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


@dataclass(frozen=True)
class Limits:
    """How much of a file is read before it is refused."""

    rows: int
    columns: int
    uncompressed: int

    @classmethod
    def current(cls) -> Limits:
        """Return the limits configured for the app, or the defaults."""
        config = current_app.config
        return cls(int(config.get("IMPORT_MAX_ROWS", MAX_ROWS)), int(config.get("IMPORT_MAX_COLUMNS", MAX_COLUMNS)),
                   int(config.get("IMPORT_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES)))

    @property
    def raw_rows(self) -> int:
        return self.rows + 1 + BLANK_ROWS_ALLOWED  # the header, the data, some blank rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime):
        value = value.strftime("%d/%m/%Y %H:%M") if value.time() != dt.time() else value.strftime("%d/%m/%Y")
    elif isinstance(value, dt.date):
        value = value.strftime("%d/%m/%Y")
    text = clean_text(value)
    # A cell our own export protected from being read as a formula ("'=…") reads back as it was written.
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


def _too_many_rows(filename: str, limits: Limits) -> DomainError:
    return DomainError(_l("Tệp %(name)s có quá nhiều dòng: mỗi lần chỉ nhập tối đa %(max)s dòng. Hãy chia nhỏ tệp.",
                          name=filename, max=limits.rows))


def _too_many_columns(filename: str, limits: Limits, row: int) -> DomainError:
    return DomainError(_l("Tệp %(name)s có quá nhiều cột (dòng %(row)s): tối đa %(max)s cột.",
                          name=filename, row=row, max=limits.columns))


def _not_xlsx(filename: str) -> DomainError:
    return DomainError(_l("Tệp %(name)s không phải tệp Excel (.xlsx) hợp lệ, hoặc đã bị hỏng. Hãy mở tệp bằng Excel "
                          "rồi lưu lại dưới dạng \"Sổ làm việc Excel (.xlsx)\".", name=filename))


def _inspect_zip(filename: str, data: bytes, limits: Limits) -> None:
    """Refuse an XLSX file whose parts would unzip too large, before any of it is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            total = sum(p.file_size for p in parts)
            bomb = any(p.file_size > RATIO_FLOOR and p.file_size > MAX_RATIO * max(p.compress_size, 1) for p in parts)
            if total > limits.uncompressed or bomb:
                raise DomainError(_l("Tệp %(name)s quá lớn khi giải nén (tối đa %(mb)s MB dữ liệu). Hãy chia nhỏ tệp.",
                                     name=filename, mb=limits.uncompressed // (1024 * 1024)))
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    with archive.open(part) as sheet:
                        _check_dimension(filename, sheet.read(4096), limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError):
        raise _not_xlsx(filename) from None


def _check_dimension(filename: str, head: bytes, limits: Limits) -> None:
    """Refuse a sheet that declares more rows or columns than allowed (the declaration may be absent or lie)."""
    from openpyxl.utils import column_index_from_string  # here, not at start-up: only exports and imports need openpyxl

    found = _DIMENSION.search(head)
    if not found or not found.group(3):
        return
    if int(found.group(4)) > limits.raw_rows:
        raise _too_many_rows(filename, limits)
    if column_index_from_string(found.group(3).decode("ascii")) > limits.columns:
        raise _too_many_columns(filename, limits, 1)


def _xlsx_rows(filename: str, data: bytes, limits: Limits) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # here, not at start-up: only exports and imports need openpyxl

    _inspect_zip(filename, data, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                if not book.worksheets:
                    raise _not_xlsx(filename)
                sheet = book.worksheets[0]
                # One column past the limit, to notice a row that has more; never the sheet's declared width.
                for number, values in enumerate(sheet.iter_rows(max_col=limits.columns + 1, values_only=True), 1):
                    if number > limits.raw_rows:
                        raise _too_many_rows(filename, limits)
                    if len(values) > limits.columns and values[limits.columns] not in (None, ""):
                        raise _too_many_columns(filename, limits, number)
                    yield [_cell(v) for v in values[:limits.columns]]
            finally:
                book.close()
    except DomainError:
        raise
    except Exception:  # noqa: BLE001  (a hostile file can break the XML parser in many ways; none is our bug)
        log.info("Unreadable XLSX upload %r", filename, exc_info=True)
        raise _not_xlsx(filename) from None


def _decode(filename: str, data: bytes) -> str:
    """Read CSV text: UTF-8 (with or without a byte-order mark), or UTF-16 with its byte-order mark."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    # Not guessed further: Windows-1258, Windows-1252 and the old TCVN3 fonts all decode any bytes, and a wrong
    # guess would store every name garbled without a word of warning.
    raise DomainError(_l("Tệp %(name)s không ở bảng mã UTF-8. Trong Excel, chọn \"Lưu thành\" → "
                         "\"CSV UTF-8 (phân tách bằng dấu phẩy)\".", name=filename))


def _csv_rows(filename: str, data: bytes, limits: Limits) -> Iterator[list[str]]:
    text = _decode(filename, data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, values in enumerate(reader, 1):
            if number > limits.raw_rows:
                raise _too_many_rows(filename, limits)
            if len(values) > limits.columns and any(v.strip() for v in values[limits.columns:]):
                raise _too_many_columns(filename, limits, reader.line_num)
            yield [_cell(v) for v in values[:limits.columns]]
    except csv.Error:
        raise DomainError(_l("Tệp %(name)s bị lỗi ở dòng %(row)s (ô quá dài hoặc dấu ngoặc kép không đóng). "
                             "Hãy mở tệp bằng Excel, sửa rồi lưu lại.", name=filename, row=reader.line_num)) from None


def _raw_rows(filename: str, data: bytes, limits: Limits) -> Iterator[list[str]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(filename, data, limits)
    if name.endswith(".csv"):
        return _csv_rows(filename, data, limits)
    raise DomainError(_l("Chỉ nhận tệp .csv hoặc .xlsx."))


def read_table(filename: str, data: bytes, columns: Sequence[Column]) -> list[Row]:
    """Read a file's rows by header name; raise DomainError naming the file (and row) at fault."""
    filename = clean_text(filename)[:255] or "?"
    limits = Limits.current()
    raw = _raw_rows(filename, data, limits)
    header_row, start = next(((values, number) for number, values in enumerate(raw, 1) if any(values)), ([], 0))
    if not header_row:
        raise DomainError(_l("Tệp %(name)s không có dữ liệu.", name=filename))
    lookup = {}
    for column in columns:
        for spelling in (column.header, column.key, *column.aliases):
            lookup[search_key(spelling)] = column.key
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
    for number, values in enumerate(raw, start + 1):
        if any(values):
            if len(rows) == limits.rows:
                raise _too_many_rows(filename, limits)
            rows.append(Row(number, {key: values[i] if i < len(values) else "" for key, i in positions.items()}))
    if not rows:
        raise DomainError(_l("Tệp %(name)s chỉ có dòng tên cột, chưa có dòng dữ liệu nào.", name=filename))
    return rows
