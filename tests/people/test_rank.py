"""Nobody acts on someone of equal or higher rank: secrets, records, erasure and roles."""
from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from app.auth import services as auth
from app.extensions import db
from app.people.models import Person
from app.policy import Role, outranks
from tests import factories
from tests.conftest import login


@pytest.fixture
def commune_people(ctx) -> dict[str, Any]:
    commune = factories.commune()
    people = {
        "admin": factories.person(commune, name="Phạm Minh Quân", role=Role.ADMIN),
        "officer": factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER),
        "officer2": factories.person(commune, name="Lê Văn Tám", role=Role.OFFICER),
        "instructor": factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR),
        "instructor2": factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR),
        "ambassador": factories.person(commune, name="Vũ Thị Thu", role=Role.AMBASSADOR),
        "learner": factories.person(commune, name="Trần Văn Bình"),
    }
    db.session.commit()
    return {key: p.id for key, p in people.items()}


def _as(client: FlaskClient, person_id: int) -> FlaskClient:
    return login(client, db.session.get(Person, person_id))


@pytest.mark.parametrize(("actor", "target", "allowed"), [
    ("instructor", "learner", True),
    ("instructor", "officer", False),  # the takeover: an instructor set the officer's PIN
    ("instructor", "instructor2", False),
    ("instructor", "ambassador", False),
    ("instructor", "admin", False),
    ("officer", "instructor", True),
    ("officer", "learner", True),
    ("officer", "officer2", False),
    ("officer", "admin", False),
    ("admin", "officer", True),
])
def test_who_may_set_whose_secret(client: FlaskClient, commune_people, actor: str, target: str,
                                  allowed: bool) -> None:
    target_id = commune_people[target]
    person = db.session.get(Person, target_id)
    response = _as(client, commune_people[actor]).post(f"/people/{target_id}/credentials", data={"pin": "975310"})
    assert response.status_code == (302 if allowed else 403)
    assert (auth.authenticate(person.phone, "975310").person is not None) is allowed


def test_instructors_set_pins_not_passwords(client: FlaskClient, commune_people) -> None:
    learner = db.session.get(Person, commune_people["learner"])
    client = _as(client, commune_people["instructor"])
    assert 'name="password"' not in client.get(f"/people/{learner.id}/credentials").get_data(as_text=True)
    client.post(f"/people/{learner.id}/credentials", data={"password": "mat-khau-moi-123"})
    assert auth.authenticate(learner.phone, "mat-khau-moi-123").person is None


@pytest.mark.parametrize(("actor", "target", "allowed"), [
    ("officer", "learner", True), ("officer", "instructor", True),
    ("officer", "officer2", False), ("officer", "admin", False), ("admin", "officer", True),
])
def test_who_may_erase_whom(client: FlaskClient, commune_people, actor: str, target: str, allowed: bool) -> None:
    target_id = commune_people[target]
    name = db.session.get(Person, target_id).full_name
    client = _as(client, commune_people[actor])
    assert client.get(f"/people/{target_id}/erase").status_code == (200 if allowed else 403)
    response = client.post(f"/people/{target_id}/erase", data={"confirm": "yes", "full_name": name})
    assert response.status_code == (302 if allowed else 403)
    db.session.expire_all()
    assert (db.session.get(Person, target_id).erased_at is not None) is allowed


def test_an_officer_cannot_change_an_administrators_phone(client: FlaskClient, commune_people) -> None:
    admin = db.session.get(Person, commune_people["admin"])
    before = admin.phone
    response = _as(client, commune_people["officer"]).post(
        f"/people/{admin.id}/edit", data={"full_name": admin.full_name, "phone": "0999999999", "village_id": 0,
                                          "household_id": 0, "birth_year": 1980})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Person, admin.id).phone == before


def test_an_officer_may_correct_their_own_record(client: FlaskClient, commune_people) -> None:
    officer = db.session.get(Person, commune_people["officer"])
    response = _as(client, officer.id).post(
        f"/people/{officer.id}/edit", data={"full_name": "Đỗ Thị Lan Anh", "phone": officer.phone, "village_id": 0,
                                            "household_id": 0, "birth_year": 1980})
    assert response.status_code == 302


def test_an_officer_cannot_change_the_roles_of_another_officer(client: FlaskClient, commune_people) -> None:
    other = db.session.get(Person, commune_people["officer2"])
    factories.people.grant_role(other, Role.INSTRUCTOR, commune=other.commune)
    db.session.commit()
    client = _as(client, commune_people["officer"])
    assert client.post(f"/people/{other.id}/roles", data={"role": "ambassador", "village_id": 0}).status_code == 403
    held = next(a for a in other.role_assignments if a.role == Role.INSTRUCTOR)
    assert client.post(f"/roles/{held.id}/revoke").status_code == 403
    db.session.expire_all()
    assert {a.role for a in db.session.get(Person, other.id).role_assignments} == {"instructor", "officer"}


def test_the_person_page_offers_only_what_the_viewer_may_do(client: FlaskClient, commune_people) -> None:
    html = _as(client, commune_people["instructor"]).get(f"/people/{commune_people['officer']}").get_data(as_text=True)
    assert "Đặt mã PIN" not in html
    html = client.get(f"/people/{commune_people['learner']}").get_data(as_text=True)
    assert "Đặt mã PIN" in html


def test_rank_is_the_highest_role_held_anywhere(commune_people) -> None:
    officer = db.session.get(Person, commune_people["officer"])
    instructor = db.session.get(Person, commune_people["instructor"])
    factories.people.grant_role(instructor, Role.OFFICER, commune=factories.commune("20767"))
    db.session.flush()
    assert not outranks(officer, instructor)  # an officer elsewhere is still an officer
