"""Exports of people and attendance: names are cleaned at the door, and what is stored never breaks a download."""
from __future__ import annotations

import io
import unicodedata

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select, text

from app.classes import enrolment
from app.extensions import db
from app.imports import services as imports
from app.people.models import Person
from app.policy import Role
from tests import factories
from tests.conftest import login

HEADER = "Họ và tên,Năm sinh,Thôn/Tổ dân phố,Đã đồng ý xử lý dữ liệu\n"


@pytest.fixture
def office(ctx):
    commune = factories.commune()
    village = factories.village(commune, "Thôn Đông")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER, village=village)
    db.session.commit()
    return commune, village, officer


def _names_in(response) -> set[str]:
    assert response.status_code == 200
    if response.data[:2] == b"PK":
        sheet = load_workbook(io.BytesIO(response.data)).active
        return {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
    return set(response.data.decode("utf-8-sig").replace('"', "").replace("\r\n", ",").split(","))


def test_control_and_invisible_characters_never_reach_a_name_or_break_an_export(client: FlaskClient, office) -> None:
    commune, village, officer = office
    login(client, officer)
    typed = client.post(f"/communes/{commune.id}/people/new", data={
        "full_name": "Trần\x01 Văn\u200b Bình\u202e", "birth_year": "1952", "gender": "", "phone": "",
        "village_id": village.id, "household_id": 0})
    assert typed.status_code == 302
    batch, _preview = imports.upload(imports.kind_of("people"), commune, filename="ds.csv", actor=None,
                                     data=(HEADER + "Cao\x00 Thị\x01 Cúc\u200b,1950,Thôn Đông,Có\n").encode())
    imports.apply(batch, actor=None)
    # A name stored before names were cleaned at the door: an \x01 made every Excel export answer 500.
    legacy = factories.person(commune, name="Lê Văn An", village=village)
    db.session.execute(text("UPDATE people SET full_name = :name WHERE id = :id"),
                       {"name": "Lê\x01 Văn An", "id": legacy.id})
    db.session.commit()
    stored = set(db.session.scalars(select(Person.full_name)))
    assert {"Trần Văn Bình", "Cao Thị Cúc"} <= stored
    klass = factories.school_class(commune, status="running")
    factories.session_now(klass)
    for person in db.session.scalars(select(Person).where(Person.id != officer.id)):
        enrolment.enrol(klass, person, source="staff", consent_method="paper")
    db.session.commit()
    expected = {"Trần Văn Bình", "Cao Thị Cúc", "Lê Văn An"}
    for fmt in ("xlsx", "csv"):
        assert expected <= _names_in(client.get(f"/communes/{commune.id}/people/export.{fmt}"))
        assert expected <= _names_in(client.get(f"/classes/{klass.id}/attendance.{fmt}"))
        assert client.get(f"/communes/{commune.id}/attendance/absentees.{fmt}").status_code == 200
        assert client.get(f"/communes/{commune.id}/classes/export.{fmt}").status_code == 200


def test_look_alike_names_are_one_person_to_the_import(office) -> None:
    commune, village, _officer = office
    factories.person(commune, name="Nguyễn Thị Hương", village=village, birth_year=1956, with_phone=False)
    db.session.commit()
    look_alikes = [unicodedata.normalize("NFD", "Nguyễn Thị Hương"), "Nguyễn\u200b Thị  Hương", "Nguyễn Thị\u00a0Hương"]
    for name in look_alikes:
        _batch, preview = imports.upload(imports.kind_of("people"), commune, filename="ds.csv", actor=None,
                                         data=(HEADER + f"{name},1956,Thôn Đông,Có\n").encode())
        assert (preview.ready, preview.existing, preview.issues) == (0, 1, []), name
    _batch, preview = imports.upload(imports.kind_of("people"), commune, filename="ds.csv", actor=None, data=(
        HEADER + "".join(f"{name},1960,Thôn Đông,Có\n" for name in look_alikes)).encode())
    assert [i.message for i in preview.issues] == ["trùng họ tên, năm sinh và thôn với dòng 2"] * 2


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client: FlaskClient, office) -> None:
    commune, village, officer = office
    factories.person(commune, name='=HYPERLINK("http://x","y")', village=village)
    db.session.commit()
    login(client, officer)
    sheet = load_workbook(io.BytesIO(client.get(f"/communes/{commune.id}/people/export.xlsx").data)).active
    cell = next(c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.value == "'=HYPERLINK(\"http://x\",\"y\")"
    body = client.get(f"/communes/{commune.id}/people/export.csv").data.decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in body
