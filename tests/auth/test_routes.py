"""Signing in by phone with a password or PIN, rate limits, CSRF and signing out."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.auth import services
from app.errors import DomainError
from app.extensions import db
from tests import factories
from tests.conftest import login


@pytest.fixture
def learner(ctx):
    person = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    db.session.commit()
    return {"id": person.id, "phone": person.phone}


def test_learner_signs_in_with_a_six_digit_pin(client: FlaskClient, learner) -> None:
    response = client.post("/login", data={"phone": learner["phone"], "secret": factories.PIN})
    assert response.status_code == 302
    assert "Xin chào, Nguyễn Thị Hương" in client.get("/").get_data(as_text=True)


def test_phone_may_be_typed_with_spaces_or_country_code(client: FlaskClient, learner) -> None:
    phone = "+84 " + learner["phone"][1:4] + " " + learner["phone"][4:]
    assert client.post("/login", data={"phone": phone, "secret": factories.PASSWORD}).status_code == 302


def test_wrong_secret_gives_a_clear_vietnamese_message(client: FlaskClient, learner) -> None:
    page = client.post("/login", data={"phone": learner["phone"], "secret": "000001"})
    assert page.status_code == 200
    assert "Số điện thoại hoặc mật khẩu/mã PIN không đúng" in page.get_data(as_text=True)
    assert "Xin chào" not in client.get("/").get_data(as_text=True)


def test_empty_form_names_the_missing_fields(client: FlaskClient) -> None:
    html = client.post("/login", data={}).get_data(as_text=True)
    assert "Vui lòng nhập số điện thoại." in html and "Vui lòng nhập mật khẩu hoặc mã PIN." in html


def test_unknown_phone_is_refused_like_a_wrong_password(client: FlaskClient) -> None:
    html = client.post("/login", data={"phone": "0987654321", "secret": "123456"}).get_data(as_text=True)
    assert "Số điện thoại hoặc mật khẩu/mã PIN không đúng" in html


def test_next_parameter_cannot_send_people_to_another_site(client: FlaskClient, learner) -> None:
    response = client.post("/login?next=https://evil.example/", data={"phone": learner["phone"],
                                                                     "secret": factories.PIN})
    assert response.location == "/"


def test_signing_out_forgets_the_person_but_keeps_display_preferences(client: FlaskClient, learner) -> None:
    client.post("/login", data={"phone": learner["phone"], "secret": factories.PIN})
    client.post("/preferences/text-size", data={"size": "2"})
    client.post("/logout")
    html = client.get("/").get_data(as_text=True)
    assert "Xin chào" not in html and 'class="ts-2"' in html


def test_pages_for_signed_in_people_send_visitors_to_the_login_page(client: FlaskClient) -> None:
    response = client.get("/account")
    assert response.status_code == 302 and "/login?next=" in response.location


def test_weak_pins_and_short_passwords_are_refused(ctx) -> None:
    person = factories.person(factories.commune(), account=False)
    with pytest.raises(DomainError, match="quá dễ đoán"):
        services.set_pin(person, "123456", actor=None)
    with pytest.raises(DomainError, match="đúng 6 chữ số"):
        services.set_pin(person, "12a456", actor=None)
    with pytest.raises(DomainError, match="ít nhất 8"):
        services.set_password(person, "ngan", actor=None)


def test_credentials_are_stored_only_as_hashes(ctx) -> None:
    person = factories.person(factories.commune())
    assert factories.PIN not in person.account.pin_hash
    assert factories.PASSWORD not in person.account.password_hash


def test_instructor_sets_a_learners_pin(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=factories.Role.INSTRUCTOR)
    learner = factories.person(commune, name="Trần Văn Bình", account=False)
    db.session.commit()
    login(client, instructor)
    response = client.post(f"/people/{learner.id}/credentials", data={"pin": "975310"})
    assert response.status_code == 302
    assert services.authenticate(learner.phone, "975310").person.id == learner.id


def test_disabled_account_cannot_sign_in(client: FlaskClient, ctx) -> None:
    person = factories.person(factories.commune())
    person.account.active = False
    db.session.commit()
    assert services.authenticate(person.phone, factories.PIN).person is None


def test_forms_without_a_csrf_token_are_refused(app_factory, learner) -> None:
    protected = app_factory(WTF_CSRF_ENABLED=True)
    response = protected.test_client().post("/login", data={"phone": learner["phone"], "secret": factories.PIN})
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
