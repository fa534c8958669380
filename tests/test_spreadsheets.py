"""Every export: text never a formula, numbers stay numbers, dates dates, Vietnamese intact, Vietnam's date."""
from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import unquote

import pytest
from flask import Flask
from openpyxl import load_workbook

from app import spreadsheets, vietnam

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _xlsx(headers: list[str], rows: list[list[object]]) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(headers, rows, "Người dân"))).active
    return [tuple(cell for cell in row) for row in sheet.iter_rows()]


def _csv(headers: list[str], rows: list[list[object]]) -> list[list[str]]:
    body = spreadsheets.csv_bytes(headers, rows)
    assert body.startswith("\ufeff".encode())  # Excel reads the diacritics as UTF-8 only with the mark
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("name", HOSTILE)
def test_a_cell_that_looks_like_a_formula_is_written_as_quoted_text(name: str) -> None:
    cell = _xlsx(["Họ và tên"], [[name]])[1][0]
    # Without lxml, XML hands a carriage return back as a line feed; what matters is the quote in front.
    assert cell.data_type == "s" and cell.value in ("'" + name, "'" + name.replace("\r", "\n"))
    assert _csv(["Họ và tên"], [[name]])[1] == ["'" + name]


def test_numbers_and_dates_stay_what_they_are_and_diacritics_are_intact() -> None:
    row = ["Nguyễn Thị Hương", 1958, -2, 3.5, dt.date(2026, 12, 3), "Đỗ Văn Khánh"]
    cells = _xlsx(["Họ và tên", "Năm sinh", "Số", "Tỉ lệ", "Ngày", "Ghi chú"], [row])[1]
    assert [c.value for c in cells[:4]] == ["Nguyễn Thị Hương", 1958, -2, 3.5]
    assert [c.data_type for c in cells[:4]] == ["s", "n", "n", "n"]
    assert cells[4].is_date and cells[4].value.date() == dt.date(2026, 12, 3)
    assert cells[5].value == "Đỗ Văn Khánh"
    assert _csv(["Họ và tên"], [row])[1] == ["Nguyễn Thị Hương", "1958", "-2", "3.5", "03/12/2026", "Đỗ Văn Khánh"]


def test_times_are_written_on_vietnams_clock() -> None:
    evening_utc = dt.datetime(2026, 12, 3, 20, 30, tzinfo=dt.UTC)  # 03:30 on the 4th in Hà Nội
    assert _csv(["Lúc"], [[evening_utc]])[1] == ["04/12/2026 03:30"]
    assert _xlsx(["Lúc"], [[evening_utc]])[1][0].value == dt.datetime(2026, 12, 4, 3, 30)


def test_characters_excel_refuses_are_dropped_instead_of_breaking_the_export() -> None:
    name = "Nguyễn\x01 Thị\x00 Hương\u200b\u202e"
    assert _xlsx(["Họ và tên"], [[name]])[1][0].value == "Nguyễn Thị Hương"
    assert _csv(["Họ và tên"], [[name]])[1] == ["Nguyễn Thị Hương"]


def test_a_sheet_title_excel_would_refuse_is_made_acceptable() -> None:
    body = spreadsheets.xlsx_bytes(["A"], [], "Lớp [4T]: chợ/xã? *" + "x" * 40)
    title = load_workbook(io.BytesIO(body)).active.title
    assert len(title) <= 31 and not set("[]:*?/\\") & set(title)


def test_the_file_name_is_plain_letters_and_full_vietnamese(app: Flask) -> None:
    with app.test_request_context():
        response = spreadsheets.download("xlsx", ["A"], [], name="Điểm danh - Lớp 4T/chợ\r\nTrung Hòa")
    disposition = response.headers["Content-Disposition"]
    today = vietnam.local_today().isoformat()
    assert disposition.startswith(f"attachment; filename=diem-danh-lop-4t-cho-trung-hoa-{today}.xlsx; ")
    full = unquote(disposition.split("filename*=UTF-8''")[1])
    assert full == f"Điểm danh - Lớp 4T-chợ Trung Hòa - {today}.xlsx"
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert disposition.isascii()
