"""Kiosk mode: a tablet serves one class; learners pick their name and enter their PIN; nothing stays behind."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.catalog import services as catalog
from app.classes import enrolment
from app.extensions import db
from app.kiosk import services
from app.policy import Role
from tests import factories
from tests.conftest import login


@pytest.fixture
def setup(curriculum):
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, instructors=(instructor,), modules=(catalog.module_by_code("NCT-06"),))
    huong = factories.person(commune, name="Nguyễn Thị Hương")
    binh = factories.person(commune, name="Trần Văn Bình")
    outsider = factories.person(commune, name="Ngô Văn Sáu")
    for learner in (huong, binh):
        enrolment.enrol(klass, learner, source="staff")
    db.session.commit()
    return {"class": klass, "instructor": instructor, "huong": huong, "binh": binh, "outsider": outsider}


def _start(client: FlaskClient, setup) -> None:
    login(client, setup["instructor"])
    response = client.post(f"/classes/{setup['class'].id}/kiosk/start")
    assert response.status_code == 302 and response.location.endswith("/kiosk")


def test_starting_kiosk_mode_signs_the_instructor_out_and_lists_the_class(client: FlaskClient, setup) -> None:
    _start(client, setup)
    html = client.get("/kiosk").get_data(as_text=True)
    assert "Chọn tên của bạn" in html and "Nguyễn Thị Hương" in html and "Trần Văn Bình" in html
    assert "Ngô Văn Sáu" not in html and "Nguyễn Văn Hùng" not in html
    assert client.get("/people/1").status_code == 302  # nobody is signed in any more


def test_a_learner_signs_in_with_pin_and_leaves_with_xong(client: FlaskClient, setup) -> None:
    _start(client, setup)
    wrong = client.post(f"/kiosk/learners/{setup['huong'].id}", data={"pin": "111112"})
    assert "Mã PIN chưa đúng" in wrong.get_data(as_text=True)
    right = client.post(f"/kiosk/learners/{setup['huong'].id}", data={"pin": factories.PIN})
    assert right.location.endswith("/kiosk/me")
    page = client.get("/kiosk/me").get_data(as_text=True)
    assert "Xin chào, Nguyễn Thị Hương" in page and "data-kiosk" in page and "Nhận biết lừa đảo" in page
    client.post("/kiosk/done")
    after = client.get("/kiosk").get_data(as_text=True)
    assert "Xin chào" not in after and "Chọn tên của bạn" in after
    assert client.get("/kiosk/me").status_code == 302


def test_only_learners_of_the_class_sign_in_on_its_tablet(client: FlaskClient, setup) -> None:
    _start(client, setup)
    response = client.post(f"/kiosk/learners/{setup['outsider'].id}", data={"pin": factories.PIN})
    assert response.location.endswith("/kiosk")
    assert client.get("/kiosk/me").status_code == 302


def test_a_printed_card_leads_to_that_learners_pin_pad(client: FlaskClient, setup, app) -> None:
    token = services.card_token(setup["binh"], app.config["SECRET_KEY"])
    _start(client, setup)
    response = client.get(f"/kiosk/card/{token}")
    assert response.location.endswith(f"/kiosk/learners/{setup['binh'].id}")
    assert client.get("/kiosk/card/forged-token").location.endswith("/kiosk")


def test_without_kiosk_mode_the_kiosk_pages_explain_how_to_start(client: FlaskClient, setup) -> None:
    page = client.get("/kiosk")
    assert page.status_code == 404 and "Máy dùng chung chưa được bật" in page.get_data(as_text=True)
    assert client.post(f"/kiosk/learners/{setup['huong'].id}", data={"pin": factories.PIN}).location.endswith("/kiosk")


def test_a_forged_or_stale_kiosk_cookie_is_ignored(app, setup) -> None:
    assert services.read_kiosk("forged", app.config["SECRET_KEY"]) is None
    token = services.kiosk_token(setup["class"], setup["instructor"], app.config["SECRET_KEY"])
    assert services.read_kiosk(token, "another-secret") is None
    assert services.read_kiosk(token, app.config["SECRET_KEY"]).class_id == setup["class"].id


def test_staff_print_a_sign_in_card_with_a_qr_code(client: FlaskClient, setup) -> None:
    login(client, setup["instructor"])
    html = client.get(f"/people/{setup['huong'].id}/card").get_data(as_text=True)
    assert "<svg" in html and "Nguyễn Thị Hương" in html and "<?xml" not in html
