"""Who sees what: disability only by officers (and the person), village-scoped members only their village."""
from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.people import services as people
from app.people.models import Household, Person
from app.policy import Role
from tests import factories
from tests.conftest import login

SECRET = "test-data-key"


@pytest.fixture
def disabled_learner(ctx) -> dict[str, Any]:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    ambassador = factories.person(commune, name="Vũ Thị Thu", role=Role.AMBASSADOR)
    learner = factories.person(commune, name="Phạm Văn Đức", birth_year=1990)
    people.record_consent(learner, purpose="disability", method="paper", policy_version="t", recorded_by=officer)
    people.set_disability(learner, kinds=["vision"], needs="Chữ to", actor=officer, secret=SECRET)
    db.session.commit()
    return {"officer": officer.id, "ambassador": ambassador.id, "learner": learner.id}


def _page(client: FlaskClient, viewer: int, learner: int) -> tuple[str, dict[str, Any]]:
    login(client, db.session.get(Person, viewer))
    return client.get(f"/people/{learner}").get_data(as_text=True), client.get(f"/people/{learner}/data.json").json


def test_an_ambassador_does_not_learn_that_a_disability_record_exists(client: FlaskClient, disabled_learner) -> None:
    html, data = _page(client, disabled_learner["ambassador"], disabled_learner["learner"])
    assert "khuyết tật" not in html.lower()  # no badge, no consent, not even the consent form's choice
    assert "has_disability_record" not in data
    assert "disabled" not in data["audiences"]
    assert all(c["purpose"] != "disability" for c in data["consents"])


def test_the_officer_and_the_person_themself_see_it(client: FlaskClient, disabled_learner) -> None:
    html, data = _page(client, disabled_learner["officer"], disabled_learner["learner"])
    assert "Người khuyết tật" in html and data["has_disability_record"] is True
    html, data = _page(client.application.test_client(), disabled_learner["learner"], disabled_learner["learner"])
    assert data["has_disability_record"] is True and "disabled" in data["audiences"]


@pytest.fixture
def two_villages(ctx) -> dict[str, Any]:
    commune = factories.commune()
    east, west = factories.village(commune, "Thôn Đông"), factories.village(commune, "Thôn Tây")
    member = factories.person(commune, name="Hoàng Văn Nam", role=Role.TEAM_MEMBER, role_village=east, village=east)
    ours = factories.person(commune, name="Nguyễn Thị Đông", village=east)
    theirs = factories.person(commune, name="Lê Văn Tây", village=west)
    nowhere = factories.person(commune, name="Trần Văn Vô", village=None)
    house_east = people.create_household(village=east, address="Ngõ 1 thôn Đông")
    house_west = people.create_household(village=west, address="Ngõ 9 thôn Tây")
    db.session.commit()
    return {"commune": commune.id, "east": east.id, "west": west.id, "member": member.id, "ours": ours.id,
            "theirs": theirs.id, "nowhere": nowhere.id, "house_east": house_east.id, "house_west": house_west.id}


def test_a_village_team_member_lists_only_their_villages_residents(client: FlaskClient, two_villages) -> None:
    login(client, db.session.get(Person, two_villages["member"]))
    html = client.get(f"/communes/{two_villages['commune']}/people").get_data(as_text=True)
    assert "Nguyễn Thị Đông" in html and "Lê Văn Tây" not in html and "Trần Văn Vô" not in html
    households = client.get(f"/communes/{two_villages['commune']}/households").get_data(as_text=True)
    assert "Ngõ 1 thôn Đông" in households and "Ngõ 9 thôn Tây" not in households


def test_a_village_team_member_cannot_open_residents_of_another_village(client: FlaskClient, two_villages) -> None:
    login(client, db.session.get(Person, two_villages["member"]))
    assert client.get(f"/people/{two_villages['ours']}").status_code == 200
    assert client.get(f"/people/{two_villages['theirs']}").status_code == 403
    assert client.get(f"/people/{two_villages['nowhere']}").status_code == 403


def test_a_village_team_member_adds_people_and_households_only_in_their_village(client: FlaskClient,
                                                                                two_villages) -> None:
    login(client, db.session.get(Person, two_villages["member"]))
    commune = two_villages["commune"]
    refused = client.post(f"/communes/{commune}/people/new", data={
        "full_name": "Người Thôn Tây", "village_id": two_villages["west"], "household_id": 0})
    assert refused.status_code == 200
    added = client.post(f"/communes/{commune}/people/new", data={
        "full_name": "Người Thôn Đông", "village_id": two_villages["east"], "household_id": 0})
    assert added.status_code == 302
    client.post(f"/communes/{commune}/households/new", data={"village_id": two_villages["west"],
                                                            "address": "Ngõ 10 thôn Tây"})
    db.session.expire_all()
    names = set(db.session.scalars(db.select(Person.full_name)))
    assert "Người Thôn Đông" in names and "Người Thôn Tây" not in names
    assert db.session.scalar(db.select(Household).where(Household.address == "Ngõ 10 thôn Tây")) is None
