"""Sessions end when they should: sign-out, a new secret, a lost role and erasure end them on every device."""
from __future__ import annotations

import time

import pytest
from flask.testing import FlaskClient

from app.auth import services
from app.extensions import db
from app.people import services as people
from app.people.models import Person
from app.policy import Role
from tests import factories
from tests.conftest import login


def _copy(client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of the client's session cookie."""
    thief = client.application.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def _signed_in(client: FlaskClient) -> bool:
    return "Xin chào" in client.get("/").get_data(as_text=True)


@pytest.fixture
def learner(ctx) -> Person:
    person = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    db.session.commit()
    return person


def _sign_in(client: FlaskClient, person: Person) -> FlaskClient:
    assert client.post("/login", data={"phone": person.phone, "secret": factories.PIN}).status_code == 302
    return client


def test_a_copied_cookie_stops_working_after_sign_out(client: FlaskClient, learner: Person) -> None:
    copy = _copy(_sign_in(client, learner))
    assert _signed_in(copy)
    client.post("/logout")
    assert not _signed_in(copy)


def test_signing_out_ends_the_accounts_sessions_on_other_devices(client: FlaskClient, learner: Person) -> None:
    phone = _sign_in(client.application.test_client(), learner)
    _sign_in(client, learner)
    client.post("/logout")
    assert not _signed_in(phone)


def test_staff_setting_a_new_pin_signs_the_learner_out_everywhere(client: FlaskClient, ctx,
                                                                  learner: Person) -> None:
    _sign_in(client, learner)
    instructor = factories.person(learner.commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    db.session.commit()
    login(client.application.test_client(), instructor).post(f"/people/{learner.id}/credentials",
                                                              data={"pin": "975310"})
    assert not _signed_in(client)


def test_changing_ones_own_pin_keeps_this_session_and_ends_the_others(client: FlaskClient, learner: Person) -> None:
    other = _sign_in(client.application.test_client(), learner)
    _sign_in(client, learner)
    response = client.post("/account", data={"current": factories.PIN, "pin": "975310"})
    assert response.status_code == 302
    assert _signed_in(client) and not _signed_in(other)


def test_losing_a_role_ends_the_sessions_that_held_it(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    db.session.commit()
    _sign_in(client, instructor)
    assignment = next(a for a in instructor.role_assignments if a.role == Role.INSTRUCTOR)
    login(client.application.test_client(), officer).post(f"/roles/{assignment.id}/revoke")
    assert not _signed_in(client)


def test_erasure_ends_the_persons_sessions(client: FlaskClient, ctx, learner: Person) -> None:
    _sign_in(client, learner)
    officer = factories.person(learner.commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    db.session.commit()
    people.erase_person(db.session.get(Person, learner.id), actor=officer)
    db.session.commit()
    assert not _signed_in(client)


def test_a_session_left_idle_too_long_expires(app_factory, ctx) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    db.session.commit()
    idle = app_factory(SESSION_IDLE_MINUTES=60)
    client = _sign_in(idle.test_client(), instructor)
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 59 * 60
    assert _signed_in(client)
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 61 * 60
    page = client.get("/").get_data(as_text=True)
    assert "Phiên làm việc đã hết hạn" in page and "Xin chào" not in page


def test_learners_on_their_own_phone_stay_signed_in_longer_than_staff(app_factory, ctx) -> None:
    person = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    db.session.commit()
    client = _sign_in(app_factory(SESSION_IDLE_MINUTES=60).test_client(), person)
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 2 * 3600
    assert _signed_in(client)


def test_changing_ones_own_secret_needs_the_current_one(client: FlaskClient, learner: Person) -> None:
    _sign_in(client, learner)
    page = client.post("/account", data={"current": "975311", "pin": "975310"})
    assert page.status_code == 200
    assert "Mật khẩu hoặc mã PIN hiện tại không đúng" in page.get_data(as_text=True)
    page = client.post("/account", data={"pin": "975310"})
    assert "Mật khẩu hoặc mã PIN hiện tại không đúng" in page.get_data(as_text=True)
    client.post("/logout")
    assert services.authenticate(learner.phone, "975310").person is None
    assert services.authenticate(learner.phone, factories.PIN).person is not None


def test_sessions_from_before_versioning_are_refused(client: FlaskClient, learner: Person) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(learner.id)
    assert not _signed_in(client)
