"""People pages: search, add, correct, consent, sensitive data and roles."""
from __future__ import annotations

import re

from flask.testing import FlaskClient

from app.extensions import db
from app.people.models import Person
from app.policy import Role
from tests import factories
from tests.conftest import login


def test_editing_keeps_the_stored_audience_tags(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    trader = factories.person(commune, name="Lê Thị Ánh Tuyết", tags=["trader"])
    db.session.commit()
    login(client, officer)
    page = client.get(f"/people/{trader.id}/edit").get_data(as_text=True)
    checkbox = re.search(r'<input[^>]*value="trader"[^>]*>', page).group(0)
    assert "checked" in checkbox
    response = client.post(f"/people/{trader.id}/edit", data={"full_name": "Lê Thị Ánh Tuyết", "birth_year": "1975",
                                                               "gender": "female", "village_id": 0, "household_id": 0,
                                                               "tags": ["trader", "pupil"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert {t.tag for t in db.session.get(Person, trader.id).tags} == {"trader", "pupil"}


def test_search_without_diacritics_lists_matches(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    factories.person(commune, name="Nguyễn Thị Hương")
    db.session.commit()
    login(client, officer)
    html = client.get(f"/communes/{commune.id}/people?q=nguyen+huong").get_data(as_text=True)
    assert "Nguyễn Thị Hương" not in html  # words must be adjacent: "nguyen huong" is not in "nguyen thi huong"
    html = client.get(f"/communes/{commune.id}/people?q=thi+huong").get_data(as_text=True)
    assert "Nguyễn Thị Hương" in html


def test_recording_disability_needs_its_own_consent_first(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    learner = factories.person(commune, name="Phạm Văn Đức")
    db.session.commit()
    login(client, officer)
    page = client.get(f"/people/{learner.id}/disability").get_data(as_text=True)
    assert "Chưa có sự đồng ý riêng" in page
    client.post(f"/people/{learner.id}/consents", data={"purpose": "disability", "method": "paper"})
    response = client.post(f"/people/{learner.id}/disability", data={"kinds": ["vision"], "needs": "Chữ to"})
    assert response.status_code == 302
    assert "Khuyết tật nhìn" in client.get(f"/people/{learner.id}").get_data(as_text=True)


def test_officer_cannot_hand_out_the_officer_role(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    learner = factories.person(commune, name="Trần Văn Bình")
    db.session.commit()
    login(client, officer)
    client.post(f"/people/{learner.id}/roles", data={"role": "officer", "village_id": 0})
    client.post(f"/people/{learner.id}/roles", data={"role": "instructor", "village_id": 0})
    db.session.expire_all()
    assert {r.role for r in db.session.get(Person, learner.id).role_assignments} == {"learner", "instructor"}


def test_a_learner_sees_their_own_record_but_not_anothers(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    me = factories.person(commune, name="Trần Văn Bình")
    other = factories.person(commune, name="Ngô Văn Sáu")
    db.session.commit()
    login(client, me)
    assert client.get(f"/people/{me.id}").status_code == 200
    assert client.get(f"/people/{other.id}").status_code == 403
    data = client.get(f"/people/{me.id}/data.json").get_json()
    assert data["full_name"] == "Trần Văn Bình"
