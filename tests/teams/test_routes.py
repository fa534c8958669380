"""The teams pages: officers set teams up; a team member's plan page, the visit form and the phone's sync."""
from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import func, select

from app.digital.models import DigitalFact
from app.extensions import db
from app.policy import Role
from app.teams.models import Team, TeamMember, Visit
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.teams.conftest import Place

TODAY = local_today()


def visits() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Visit))


def form(place: Place, **changes) -> dict:
    values = {"household_id": str(place.home.id), "visited_on": TODAY.isoformat(), "visitor": [str(place.nam.id)],
              f"help-{place.huong.id}": ["vneid_level2", "payment_account"], f"help-{place.binh.id}": ["spot_scam"],
              "still_needed": "Cần học thêm VietQR", "follow_up_on": ""}
    values.update(changes)
    return values


def test_the_officer_sees_the_teams_and_sets_one_up_for_a_village(app: Flask, place: Place) -> None:
    client = login(app.test_client(), place.officer)
    page = client.get(f"/teams/communes/{place.commune.id}").get_data(as_text=True)
    assert "Tổ công nghệ số cộng đồng Thôn Đông" in page and "Lập tổ cho một thôn" in page
    response = client.post(f"/teams/communes/{place.commune.id}/new", data={"village_id": place.tay.id, "name": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(Team.name).where(Team.village_id == place.tay.id)) == (
        "Tổ công nghệ số cộng đồng Thôn Tây")


def test_a_second_team_for_a_village_is_refused_with_a_message(app: Flask, place: Place) -> None:
    client = login(app.test_client(), place.officer)
    response = client.post(f"/teams/communes/{place.commune.id}/new", data={"village_id": place.dong.id},
                           follow_redirects=True)
    assert "Lựa chọn không hợp lệ" in response.get_data(as_text=True) or "đã có Tổ" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Team)) == 1


def test_the_officer_adds_a_member_makes_them_leader_and_removes_them(app: Flask, place: Place) -> None:
    hung = factories.person(place.commune, name="Nguyễn Văn Hùng", role=None)
    db.session.commit()
    client = login(app.test_client(), place.officer)
    found = client.get(f"/teams/{place.team.id}?q=hung").get_data(as_text=True)
    assert "Nguyễn Văn Hùng" in found and "Thêm vào tổ" in found
    client.post(f"/teams/{place.team.id}/members", data={"person_id": hung.id})
    client.post(f"/teams/{place.team.id}/leader", data={"person_id": hung.id})
    db.session.expire_all()
    assert db.session.scalar(select(TeamMember.is_leader).where(TeamMember.person_id == hung.id)) is True
    client.post(f"/teams/{place.team.id}/members/remove", data={"person_id": hung.id})
    assert db.session.scalar(select(TeamMember.id).where(TeamMember.person_id == hung.id)) is None


def test_a_person_of_another_commune_is_not_found(app: Flask, place: Place) -> None:
    stranger = factories.person(place.other_commune, name="Mai Văn Khách")
    db.session.commit()
    client = login(app.test_client(), place.officer)
    assert client.post(f"/teams/{place.team.id}/members", data={"person_id": stranger.id}).status_code == 404
    assert client.post(f"/teams/{place.team.id}/members", data={"person_id": "abc"}).status_code == 404


def test_the_team_member_sees_the_plan_with_the_households_to_visit(app: Flask, place: Place) -> None:
    client = login(app.test_client(), place.nam)
    page = client.get(f"/teams/{place.team.id}/plan").get_data(as_text=True)
    assert "Hộ chưa đến (1)" in page and "Số 12, ngõ 3" in page and "Ghi lần đến nhà" in page
    assert 'id="visit-roster"' in page and "Nguyễn Thị Hương" in page


def test_a_team_member_of_another_village_is_refused(app: Flask, place: Place) -> None:
    west = factories.person(place.commune, name="Vũ Thị Thu", role=Role.TEAM_MEMBER, role_village=place.tay)
    db.session.commit()
    client = login(app.test_client(), west)
    assert client.get(f"/teams/{place.team.id}/plan").status_code == 403
    assert client.post(f"/teams/{place.team.id}/visits", data=form(place)).status_code == 403


def test_the_no_script_form_shows_the_chosen_households_members(app: Flask, place: Place) -> None:
    client = login(app.test_client(), place.nam)
    page = client.get(f"/teams/{place.team.id}/plan?household_id={place.home.id}").get_data(as_text=True)
    assert f'name="help-{place.huong.id}"' in page and "chưa đồng ý ghi nhận" in page


def test_a_visit_posted_from_the_form_is_recorded_and_updates_the_person(app: Flask, place: Place) -> None:
    client = login(app.test_client(), place.nam)
    response = client.post(f"/teams/{place.team.id}/visits", data=form(place), follow_redirects=True)
    assert "Đã ghi lần đến nhà Số 12, ngõ 3" in response.get_data(as_text=True)
    assert visits() == 1
    facts = dict(db.session.execute(select(DigitalFact.fact, DigitalFact.value).where(
        DigitalFact.person_id == place.huong.id)).all())
    assert facts == {"vneid": 2, "payment_account": 1}


def test_a_visit_dated_in_the_future_is_refused_and_the_form_kept(app: Flask, place: Place) -> None:
    client = login(app.test_client(), place.nam)
    later = (TODAY + dt.timedelta(days=1)).isoformat()
    response = client.post(f"/teams/{place.team.id}/visits", data=form(place, visited_on=later))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ngày đến nhà không được ở tương lai." in page and "Cần học thêm VietQR" in page
    assert visits() == 0


def test_forged_fields_get_a_message_not_an_error(app: Flask, place: Place) -> None:
    client = login(app.test_client(), place.nam)
    for bad in ({"household_id": "99999"}, {"household_id": str(place.west.id)}, {"visitor": ["x"]},
                {f"help-{place.huong.id}": ["<script>"]}, {"visited_on": "hôm qua"}):
        assert client.post(f"/teams/{place.team.id}/visits", data=form(place, **bad)).status_code == 422
    assert visits() == 0


def item(place: Place, client_id: str, **changes) -> dict:
    values = {"client_id": client_id, "device_time": "2026-03-01T08:00:00+07:00", "household_id": place.home.id,
              "visited_on": TODAY.isoformat(), "visitors": [place.nam.id], "helps": {str(place.huong.id): ["vietqr"]},
              "still_needed": "", "follow_up_on": "", "address": "Số 12, ngõ 3"}
    values.update(changes)
    return values


def test_visits_sent_by_a_phone_twice_are_stored_once(app: Flask, place: Place) -> None:
    client = login(app.test_client(), place.nam)
    payload = {"device": "phone", "items": [item(place, "phone-visit-0001"), item(place, "phone-visit-0002")]}
    first = client.post(f"/teams/{place.team.id}/visits.json", json=payload)
    again = client.post(f"/teams/{place.team.id}/visits.json", json=payload)
    assert first.status_code == again.status_code == 200
    assert again.get_json()["stored"] == ["phone-visit-0001", "phone-visit-0002"]
    assert visits() == 2


def test_a_refused_batch_answers_422_with_the_reason(app: Flask, place: Place) -> None:
    client = login(app.test_client(), place.nam)
    later = (TODAY + dt.timedelta(days=3)).isoformat()
    response = client.post(f"/teams/{place.team.id}/visits.json",
                           json={"device": "phone", "items": [item(place, "phone-visit-0003", visited_on=later)]})
    assert response.status_code == 422
    assert "tương lai" in response.get_json()["failed"][0]["message"]
    assert client.post(f"/teams/{place.team.id}/visits.json", data="not json").status_code == 400
    assert visits() == 0


def test_the_outsider_cannot_see_or_send_anything(app: Flask, place: Place) -> None:
    outsider = factories.person(place.other_commune, name="Mai Văn Khách", role=Role.OFFICER)
    db.session.commit()
    client = login(app.test_client(), outsider)
    assert client.get(f"/teams/communes/{place.commune.id}").status_code == 403
    assert client.get(f"/teams/{place.team.id}").status_code == 403
    response = client.post(f"/teams/{place.team.id}/visits.json", json={"items": [item(place, "phone-visit-0004")]})
    assert response.status_code == 403
    assert visits() == 0


def test_an_empty_or_forged_team_form_gets_a_message(app: Flask, place: Place) -> None:
    client = login(app.test_client(), place.officer)
    for data in ({}, {"village_id": "x"}, {"village_id": "99999"}):
        response = client.post(f"/teams/communes/{place.commune.id}/new", data=data, follow_redirects=True)
        assert response.status_code == 200
        assert "Lập tổ cho một thôn" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Team)) == 1
