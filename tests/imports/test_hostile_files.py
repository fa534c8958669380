"""Hostile or broken uploads: a clear message naming the file (and row), nothing saved, no worker held."""
from __future__ import annotations

import csv
import io
import time
import unicodedata
import zipfile

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select

from app.errors import DomainError
from app.extensions import db
from app.imports import services
from app.imports.models import ImportBatch
from app.people.models import Person
from app.policy import Role
from tests import factories
from tests.conftest import login

HEADER = ["Họ và tên", "Năm sinh", "Thôn/Tổ dân phố", "Đã đồng ý xử lý dữ liệu"]


@pytest.fixture
def commune(ctx):
    commune = factories.commune()
    factories.village(commune, "Thôn Đông")
    return commune


TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _cp1258(text: str) -> bytes:
    """Encode Vietnamese as Windows-1258 does: shape marks on the letter (â, ơ), the tone as a combining mark."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        out.append(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
                   + "".join(c for c in decomposed if c in TONES))
    return "".join(out).encode("cp1258")


def _upload(commune, filename: str, data: bytes):
    return services.upload(services.kind_of("people"), commune, filename=filename, data=data, actor=None)


def _refused(commune, filename: str, data: bytes, *needles: str) -> str:
    with pytest.raises(DomainError) as caught:
        _upload(commune, filename, data)
    message = str(caught.value.message)
    assert filename in message and all(n in message for n in needles), message
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    return message


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet is replaced by the given XML (deflated, as Excel stores it)."""
    book = Workbook()
    book.active.append(HEADER)
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, body)
    return out.getvalue()


def _sheet(rows: int, *, dimension: str | None = None) -> bytes:
    head = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"") + b"<sheetData>")
    header = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</t></is></c>'
              b'<c r="B1" t="inlineStr"><is><t>Th\xc3\xb4n</t></is></c>'
              b'<c r="C1" t="inlineStr"><is><t>\xc4\x90\xe1\xbb\x93ng \xc3\xbd</t></is></c></row>')
    body = b'<row><c t="inlineStr"><is><t>A</t></is></c></row>' * rows  # rows may leave out their number
    return head + header + body + b"</sheetData></worksheet>"


def test_a_small_xlsx_that_unzips_to_a_million_rows_is_refused_at_once(commune) -> None:
    bomb = _xlsx_with_sheet(_sheet(1_000_000))
    assert len(bomb) < 500 * 1024
    started = time.perf_counter()
    _refused(commune, "bom.xlsx", bomb, "quá lớn khi giải nén")
    assert time.perf_counter() - started < 3


def test_a_sheet_declaring_too_many_rows_is_refused_before_it_is_read(commune) -> None:
    _refused(commune, "lon.xlsx", _xlsx_with_sheet(_sheet(3, dimension="A1:C1048576")), "quá nhiều dòng", "20000")
    _refused(commune, "rong.xlsx", _xlsx_with_sheet(_sheet(3, dimension="A1:XFD4")), "quá nhiều cột")


def test_reading_stops_at_the_row_cap_when_the_sheet_declares_nothing(commune, monkeypatch) -> None:
    monkeypatch.setitem(commune_app_config(), "IMPORT_MAX_ROWS", 50)
    started = time.perf_counter()
    _refused(commune, "dai.xlsx", _xlsx_with_sheet(_sheet(20_000)), "quá nhiều dòng", "50")
    assert time.perf_counter() - started < 3
    rows = "".join(f"Người {i},1960,Thôn Đông,Có\n" for i in range(60))
    _refused(commune, "dai.csv", (",".join(HEADER) + "\n" + rows).encode(), "quá nhiều dòng")


def commune_app_config() -> dict:
    from flask import current_app

    return current_app.config


@pytest.mark.parametrize(("filename", "data", "needle"), [
    ("hong.xlsx", _xlsx_with_sheet(b"<worksheet><sheetData><row r='1'><c r='A1'"), "không phải tệp Excel"),
    ("gia.xlsx", b"Ho va ten,Thon\nA,B\n", "không phải tệp Excel"),
    ("cat.xlsx", b"PK\x03\x04" + b"\x00" * 40, "không phải tệp Excel"),
    ("rong.csv", b"", "không có dữ liệu"),
    ("trang.csv", b"\xef\xbb\xbf\r\n,,\r\n", "không có dữ liệu"),
    ("cot.csv", ",".join(HEADER).encode() + b"\n", "chỉ có dòng tên cột"),
    ("cot.xlsx", _xlsx_with_sheet(_sheet(0)), "chỉ có dòng tên cột"),
    ("cu.csv", _cp1258(",".join(HEADER) + "\nTrần Văn Bình,1952,Thôn Đông,Có\n"), "UTF-8"),
    ("tay.csv", "Họ và tên,Thôn\nTrần,Đông\n".encode("latin-1", "replace") + b"\xe9\xe8", "UTF-8"),
])
def test_broken_or_mislabelled_files_are_named_in_a_clear_message(commune, filename: str, data: bytes,
                                                                    needle: str) -> None:
    _refused(commune, filename, data, needle)


def test_a_field_over_the_csv_limit_is_named_by_its_row(commune) -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    data = (",".join(HEADER) + "\nTrần Văn Bình,1952,Thôn Đông,Có\n" + f'"{huge}",1950,Thôn Đông,Có\n').encode()
    _refused(commune, "dai.csv", data, "dòng 3")


def test_too_many_columns_are_refused_naming_the_row(commune) -> None:
    data = (",".join(HEADER) + "\n" + "Trần Văn Bình,1952,Thôn Đông,Có" + ",x" * 60 + "\n").encode()
    _refused(commune, "cot.csv", data, "quá nhiều cột", "dòng 2")


def test_utf16_from_excels_unicode_text_is_read(commune) -> None:
    data = ("\t".join(HEADER) + "\r\nTrần Văn Bình\t1952\tThôn Đông\tCó\r\n").encode("utf-16")
    _batch, preview = _upload(commune, "unicode.csv", data)
    assert preview.ready == 1 and preview.sample[0]["Họ và tên"] == "Trần Văn Bình"


def test_cells_are_cleaned_and_dates_in_the_birth_year_column_are_understood(commune) -> None:
    import datetime as dt

    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["Trần\u200b Văn  Bình\u202e", dt.datetime(1952, 5, 12), "Thôn Đông", True])
    out = io.BytesIO()
    book.save(out)
    batch, preview = _upload(commune, "ds.xlsx", out.getvalue())
    assert preview.ready == 1 and not preview.issues
    services.apply(batch, actor=None)
    person = db.session.scalars(select(Person)).one()
    assert (person.full_name, person.birth_year) == ("Trần Văn Bình", 1952)


def test_control_characters_and_nul_in_a_csv_never_reach_the_database(commune) -> None:
    data = (",".join(HEADER) + "\nTrần\x00 Văn\x01 Bình\u200b,1952,Thôn Đông,Có\n").encode()
    batch, preview = _upload(commune, "ds.csv", data)
    assert preview.ready == 1
    services.apply(batch, actor=None)
    assert db.session.scalars(select(Person.full_name)).one() == "Trần Văn Bình"


def test_a_file_name_with_control_characters_is_stored_clean(commune) -> None:
    data = (",".join(HEADER) + "\nTrần Văn Bình,1952,Thôn Đông,Có\n").encode()
    batch, _preview = _upload(commune, "ds\x00\u202e.csv", data)
    assert batch.filename == "ds.csv"


def test_a_too_large_upload_gets_a_clear_vietnamese_page(client: FlaskClient, commune) -> None:
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    db.session.commit()
    login(client, officer)
    too_big = b"a" * (client.application.config["MAX_CONTENT_LENGTH"] + 1)
    # Encoded here, in memory: the test client would spool it to a temporary file the refused request never closes.
    boundary = "----ranh-gioi"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="lon.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n").encode() + too_big + f"\r\n--{boundary}--\r\n".encode()
    response = client.post(f"/communes/{commune.id}/imports/people", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413 and "Tệp tải lên quá lớn" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_a_hostile_upload_through_the_page_shows_the_message_on_the_form(client: FlaskClient, commune,
                                                                         app: Flask) -> None:
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    db.session.commit()
    login(client, officer)
    response = client.post(f"/communes/{commune.id}/imports/people",
                           data={"file": (io.BytesIO(_xlsx_with_sheet(_sheet(1_000_000))), "bom.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "bom.xlsx quá lớn khi giải nén" in response.get_data(as_text=True)
