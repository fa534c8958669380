"""Importing people from CSV and Excel: a dry run names every bad row, and nothing is written until all are good."""
from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.errors import DomainError
from app.extensions import db
from app.imports import services
from app.people.models import Household, Person
from app.policy import Role
from tests import factories
from tests.conftest import login

HEADER = "Họ và tên,Năm sinh,Giới tính,Số điện thoại,Thôn/Tổ dân phố,Địa chỉ hộ,Đối tượng,Đã đồng ý xử lý dữ liệu\n"
GOOD = (HEADER
        + "Nguyễn Thị Hương,1956,Nữ,0912345678,Thôn Đông,\"Số 12, xóm Giữa\",,Có\n"
        + "Trần Văn Bình,12/05/1952,Nam,,Thôn Đông,\"Số 12, xóm Giữa\",,Có\n"
        + "Lê Thị Ánh Tuyết,1975,Nữ,0987 654 321,thon dong,,tiểu thương,x\n")


@pytest.fixture
def commune(ctx):
    commune = factories.commune()
    factories.village(commune, "Thôn Đông")
    return commune


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


def test_a_clean_file_is_previewed_then_applied_once(commune) -> None:
    kind = services.kind_of("people")
    batch, preview = services.upload(kind, commune, filename="danh-sach.csv", data=GOOD.encode(), actor=None)
    assert (preview.total, preview.ready, preview.issues) == (3, 3, [])
    assert _count() == 0  # the dry run writes nothing
    assert services.apply(batch, actor=None) == {"created": 3, "existing": 0}
    assert services.apply(batch, actor=None) == {"created": 3, "existing": 0}  # applying again changes nothing
    assert _count() == 3
    binh = db.session.scalars(select(Person).where(Person.full_name == "Trần Văn Bình")).one()
    assert binh.birth_year == 1952 and binh.household.address == "Số 12, xóm Giữa"
    assert db.session.scalar(select(func.count()).select_from(Household)) == 1
    tuyet = db.session.scalars(select(Person).where(Person.phone == "0987654321")).one()
    assert tuyet.full_name == "Lê Thị Ánh Tuyết" and "trader" in tuyet.audiences
    assert all(p.consents[0].purpose == "learning" for p in db.session.scalars(select(Person)))


def test_every_bad_row_is_named_and_nothing_is_written(commune) -> None:
    data = (HEADER
            + "Nguyễn Thị Hương,1956,Nữ,0912345678,Thôn Đông,,,Có\n"
            + ",1950,Nam,,Thôn Đông,,,Có\n"
            + "Phạm Văn Đức,năm mươi,Nam,12345,Thôn Bắc,,,Có\n"
            + "Vũ Thị Nga,1960,Nữ,0912345678,Thôn Đông,,,Có\n"
            + "Đặng Văn Tư,1958,Nam,,Thôn Đông,,kỹ sư,Không\n")
    batch, preview = services.upload(services.kind_of("people"), commune, filename="loi.csv", data=data.encode(),
                                     actor=None)
    by_row: dict[int, list[str]] = {}
    for issue in preview.issues:
        by_row.setdefault(issue.row, []).append(issue.message)
    assert sorted(by_row) == [3, 4, 5, 6]
    assert any("thiếu họ và tên" in m for m in by_row[3])
    assert any("năm sinh" in m for m in by_row[4]) and any("số điện thoại" in m for m in by_row[4])
    assert any("Thôn Bắc" in m for m in by_row[4])
    assert any("trùng số điện thoại với dòng 2" in m for m in by_row[5])
    assert any("kỹ sư" in m for m in by_row[6]) and any("đồng ý" in m for m in by_row[6])
    with pytest.raises(DomainError, match="chưa nhập dòng nào"):
        services.apply(batch, actor=None)
    assert _count() == 0


def test_people_already_known_are_skipped_so_reimporting_is_safe(commune) -> None:
    kind = services.kind_of("people")
    batch, _ = services.upload(kind, commune, filename="a.csv", data=GOOD.encode(), actor=None)
    services.apply(batch, actor=None)
    again, preview = services.upload(kind, commune, filename="a.csv", data=GOOD.encode(), actor=None)
    assert (preview.ready, preview.existing, preview.issues) == (0, 3, [])
    assert services.apply(again, actor=None) == {"created": 0, "existing": 3}
    assert _count() == 3


def test_phone_used_by_someone_else_is_an_error(commune) -> None:
    factories.person(commune, name="Ngô Văn Sáu")
    taken = db.session.scalars(select(Person.phone)).one()
    data = HEADER + f"Nguyễn Thị Hương,1956,Nữ,{taken},Thôn Đông,,,Có\n"
    _batch, preview = services.upload(services.kind_of("people"), commune, filename="a.csv", data=data.encode(),
                                      actor=None)
    assert preview.issues and "đã được dùng cho một người khác" in preview.issues[0].message


def test_excel_files_with_vietnamese_names_are_read(commune) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ tên", "Năm sinh", "Thôn", "Đồng ý"])
    sheet.append([1, "Lê Thị Ánh Tuyết", 1975, "Thôn Đông", "Có"])
    sheet.append([None, None, None, None, None])
    sheet.append([2, "Đỗ Văn Khánh", 1980.0, "Thôn Đông", "có"])
    out = io.BytesIO()
    book.save(out)
    batch, preview = services.upload(services.kind_of("people"), commune, filename="ds.xlsx", data=out.getvalue(),
                                     actor=None)
    assert preview.ready == 2 and not preview.issues
    services.apply(batch, actor=None)
    assert {p.full_name for p in db.session.scalars(select(Person))} == {"Lê Thị Ánh Tuyết", "Đỗ Văn Khánh"}


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("ds.csv", "Họ và tên,Thôn\nA,B\n".encode(), "thiếu cột"),
    ("ds.csv", "Ho va ten,Thon,Dong y\nTr\u00e2n,Th\u00f4n \u0110\u00f4ng,C\u00f3\n".encode("latin-1", "replace"),
     "UTF-8"),
    ("ds.xlsx", b"not a zip", "không phải tệp Excel"),
    ("ds.pdf", b"%PDF", "Chỉ nhận tệp"),
    ("ds.csv", b"", "không có dữ liệu"),
])
def test_malformed_files_get_a_clear_message(commune, filename: str, data: bytes, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        services.upload(services.kind_of("people"), commune, filename=filename, data=data, actor=None)


def test_semicolon_separated_csv_from_excel_is_understood(commune) -> None:
    data = "Họ và tên;Thôn/Tổ dân phố;Đã đồng ý xử lý dữ liệu\nNguyễn Thị Hương;Thôn Đông;Có\n"
    _batch, preview = services.upload(services.kind_of("people"), commune, filename="ds.csv",
                                      data=data.encode("utf-8-sig"), actor=None)
    assert preview.ready == 1


def test_officer_uploads_previews_and_applies_through_the_pages(client: FlaskClient, commune) -> None:
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    db.session.commit()
    login(client, officer)
    response = client.post(f"/communes/{commune.id}/imports/people",
                           data={"file": (io.BytesIO(GOOD.encode()), "danh-sach.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    preview = client.get(response.location).get_data(as_text=True)
    assert "Nhập 3 dòng" in preview and "Lê Thị Ánh Tuyết" in preview
    batch_id = response.location.rstrip("/").split("/")[-1]
    done = client.post(f"/imports/{batch_id}/apply")
    assert done.status_code == 302 and _count() == 4


def test_export_round_trips_through_the_import(client: FlaskClient, commune) -> None:
    kind = services.kind_of("people")
    batch, _ = services.upload(kind, commune, filename="a.csv", data=GOOD.encode(), actor=None)
    services.apply(batch, actor=None)
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER, village=commune.villages[0])
    db.session.commit()
    login(client, officer)
    response = client.get(f"/communes/{commune.id}/people/export.xlsx")
    assert response.status_code == 200 and "nguoi-dan-xa-tien-minh-" in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên" and {"Nguyễn Thị Hương", "Lê Thị Ánh Tuyết"} <= {r[0] for r in rows}
    csv_body = client.get(f"/communes/{commune.id}/people/export.csv").data
    assert csv_body.startswith("\ufeff".encode()) and "Trần Văn Bình".encode() in csv_body
    _again, preview = services.upload(kind, commune, filename="export.csv", data=csv_body, actor=None)
    assert preview.issues == [] and preview.existing == 4

