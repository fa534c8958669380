"""Bulk enrolment from CSV/Excel: every bad row named, nothing written unless all are good, re-running is safe."""
from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select

from app.classes import enrolment
from app.classes.models import Enrolment
from app.errors import DomainError
from app.extensions import db
from app.imports import services as imports
from app.people import services as people
from app.people.models import Person
from app.policy import Role
from tests import factories
from tests.conftest import login

HEADER = "Họ và tên,Số điện thoại,Năm sinh,Thôn/Tổ dân phố,Đã đồng ý xử lý dữ liệu\n"


@pytest.fixture
def setting(ctx):
    commune = factories.commune()
    village = factories.village(commune, "Thôn Đông")
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    known = factories.person(commune, name="Nguyễn Thị Hương", village=village, birth_year=1956)
    quiet = factories.person(commune, name="Trần Văn Bình", village=village, birth_year=1952, with_phone=False,
                             consent=False, account=False)
    klass = factories.school_class(commune, at=factories.venue(commune, in_village=village), capacity=3,
                                   instructors=(hung,))
    return commune, klass, hung, known, quiet


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_clean_list_matches_known_people_creates_newcomers_and_fills_the_waiting_list(setting) -> None:
    commune, klass, hung, known, quiet = setting
    data = (HEADER + f"Nguyen Thi Huong,{known.phone},,,Có\n"    # by phone (name without diacritics is fine)
            + "Trần Văn Bình,,1952,thon dong,x\n"              # by name, birth year and village
            + "Lê Thị Ánh Tuyết,0987 654 321,1975,Thôn Đông,Có\n"  # new, with a phone
            + "Phạm Văn Đức,,1949,Thôn Đông,Có\n")               # new: over capacity, waits
    kind = imports.kind_of("enrolments")
    people_before = _count(Person)
    batch, preview = imports.upload(kind, commune, filename="lop.csv", data=data.encode(), target=klass, actor=hung)
    assert (preview.total, preview.ready, preview.existing, preview.issues) == (4, 4, 0, [])
    assert [row["Kết quả"] for row in preview.sample] == ["ghi danh", "ghi danh", "ghi danh", "danh sách chờ"]
    assert _count(Enrolment) == 0  # the dry run writes nothing
    summary = imports.apply(batch, target=klass, actor=hung)
    assert summary == {"created": 4, "existing": 0, "enrolled": 3, "waitlisted": 1, "new_people": 2}
    assert _count(Person) == people_before + 2
    assert enrolment.enrolment_of(klass, known).source == "import"
    assert people.active_consent(quiet, "learning").method == "paper"  # the list says they agreed on paper
    duc = db.session.scalars(select(Person).where(Person.full_name == "Phạm Văn Đức")).one()
    assert enrolment.enrolment_of(klass, duc).status == "waitlisted"
    # The same file again changes nothing.
    again, preview = imports.upload(kind, commune, filename="lop.csv", data=data.encode(), target=klass, actor=hung)
    assert (preview.ready, preview.existing) == (0, 4)
    assert imports.apply(again, target=klass, actor=hung)["existing"] == 4
    assert _count(Person) == people_before + 2 and _count(Enrolment) == 4


def test_every_bad_row_is_named_and_nothing_is_written(setting) -> None:
    commune, klass, hung, known, _quiet = setting
    data = (HEADER + "Lê Thị Ánh Tuyết,0987654321,1975,Thôn Đông,Có\n"
            + ",,1950,Thôn Đông,Có\n"
            + "Phạm Văn Đức,12345,năm mươi,Thôn Bắc,Có\n"
            + f"Vũ Thị Nga,{known.phone},1960,Thôn Đông,Có\n"
            + "Đặng Văn Tư,,1958,Thôn Đông,Không\n"
            + "Ngô Văn Sáu,,1947,,Có\n"
            + "Lê Thị Ánh Tuyết,0987654321,1975,Thôn Đông,Có\n")
    batch, preview = imports.upload(imports.kind_of("enrolments"), commune, filename="loi.csv", data=data.encode(),
                                    target=klass, actor=hung)
    by_row: dict[int, list[str]] = {}
    for issue in preview.issues:
        by_row.setdefault(issue.row, []).append(issue.message)
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8]
    assert any("thiếu họ và tên" in m for m in by_row[3])
    assert all(any(k in m for m in by_row[4]) for k in ("năm sinh", "số điện thoại", "Thôn Bắc"))
    assert any("đã được dùng cho Nguyễn Thị Hương" in m for m in by_row[5])
    assert any("đồng ý" in m for m in by_row[6])
    assert any("người mới cần ghi thôn" in m for m in by_row[7])
    assert any("trùng số điện thoại với dòng 2" in m for m in by_row[8])
    with pytest.raises(DomainError, match="chưa nhập dòng nào"):
        imports.apply(batch, target=klass, actor=hung)
    assert _count(Enrolment) == 0
    assert db.session.scalar(select(Person).where(Person.full_name == "Lê Thị Ánh Tuyết")) is None


def test_a_finished_class_takes_no_list(setting) -> None:
    commune, klass, hung, *_ = setting
    from app.classes import services

    services.set_status(klass, "running")
    services.set_status(klass, "finished")
    with pytest.raises(DomainError, match="không nhận ghi danh"):
        imports.upload(imports.kind_of("enrolments"), commune, filename="a.csv",
                       data=(HEADER + "Lê Thị Ánh Tuyết,,1975,Thôn Đông,Có\n").encode(), target=klass, actor=hung)


def test_an_instructor_uploads_an_excel_list_for_their_class(client: FlaskClient, setting) -> None:
    commune, klass, hung, *_ = setting
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Số điện thoại", "Năm sinh", "Thôn/Tổ dân phố", "Đã đồng ý xử lý dữ liệu"])
    sheet.append(["Lê Thị Ánh Tuyết", "0987654321", 1975, "Thôn Đông", "Có"])
    out = io.BytesIO()
    book.save(out)
    db.session.commit()
    login(client, hung)
    response = client.post(f"/communes/{commune.id}/imports/enrolments?target={klass.id}",
                           data={"file": (io.BytesIO(out.getvalue()), "lop.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 302
    preview = client.get(response.location).get_data(as_text=True)
    assert "Lê Thị Ánh Tuyết" in preview and "ghi danh" in preview
    batch_id = int(response.location.rstrip("/").split("/")[-1])
    done = client.post(f"/imports/{batch_id}/apply")
    assert done.location.endswith(f"/classes/{klass.id}/roster")
    other = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    db.session.commit()
    login(client, other)  # an instructor who does not teach this class
    assert client.get(f"/communes/{commune.id}/imports/enrolments?target={klass.id}").status_code == 403


def test_a_list_posted_to_another_communes_address_names_no_one_there(client: FlaskClient, setting) -> None:
    _commune, klass, hung, _known, _quiet = setting
    other = factories.commune(factories.COMMUNE_CODES[1])
    stranger = factories.person(other, name="Phan Thị Kín", village=factories.village(other, "Thôn Nam"))
    db.session.commit()
    login(client, hung)
    data = HEADER + f"Nguyễn Văn Lạ,{stranger.phone},1950,Thôn Nam,Có\n"
    response = client.post(f"/communes/{other.id}/imports/enrolments?target={klass.id}",
                           data={"file": (io.BytesIO(data.encode()), "lop.csv")}, content_type="multipart/form-data")
    assert response.status_code == 404 and "Phan Thị Kín" not in response.get_data(as_text=True)
    assert _count(Enrolment) == 0
    with pytest.raises(DomainError, match="không dành cho xã đã chọn"):
        imports.upload(imports.kind_of("enrolments"), other, filename="lop.csv", data=data.encode(), target=klass,
                       actor=hung)
