"""Teams and door-to-door visits: the rules of a team, reading and recording a visit, and its effect on people."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app import outbox
from app.digital import services as digital
from app.digital.models import DigitalFact
from app.errors import DomainError
from app.extensions import db
from app.people.models import RoleAssignment
from app.policy import Role
from app.teams import services
from app.teams.models import Visit, VisitHelp, VisitMember
from app.vietnam import local_today
from tests import factories
from tests.teams.conftest import Place, household

TODAY = local_today()


def visit_of(place: Place, **changes) -> services.VisitInput:
    values = {"household_id": place.home.id, "visited_on": TODAY, "visitors": (place.nam.id,),
              "helps": {place.huong.id: ("vneid_level2", "smartphone_basics"), place.binh.id: ("spot_scam",)},
              "still_needed": "Cần hướng dẫn thêm về ứng dụng ngân hàng", "follow_up_on": TODAY + dt.timedelta(days=3)}
    values.update(changes)
    return services.VisitInput(**values)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- teams -----------------------------------------------------------------------------------------

def test_a_village_has_one_team(place: Place) -> None:
    with pytest.raises(DomainError, match="đã có Tổ công nghệ số cộng đồng"):
        services.create_team(place.commune, place.dong, "Tổ hai", actor=place.officer)


def test_a_team_is_named_after_its_village_unless_named(place: Place) -> None:
    assert place.team.name == "Tổ công nghệ số cộng đồng Thôn Đông"
    assert services.create_team(place.commune, place.tay, "  Tổ   xóm Bãi ", actor=None).name == "Tổ xóm Bãi"


def test_a_team_cannot_be_made_for_another_communes_village(place: Place) -> None:
    foreign = factories.village(place.other_commune, "Thôn Bắc")
    with pytest.raises(DomainError, match="không thuộc xã"):
        services.create_team(place.commune, foreign, "", actor=None)


def test_a_member_gets_the_team_role_for_the_village_and_loses_it_when_removed(place: Place) -> None:
    roles = select(RoleAssignment).where(RoleAssignment.person_id == place.nam.id,
                                         RoleAssignment.role == Role.TEAM_MEMBER.value)
    held = db.session.scalars(roles).one()
    assert held.village_id == place.dong.id
    services.remove_member(place.team, place.nam, actor=place.officer)
    assert db.session.scalars(roles).first() is None
    assert place.team.members == []


def test_a_person_of_another_commune_cannot_join(place: Place) -> None:
    stranger = factories.person(place.other_commune, name="Mai Văn Khách")
    with pytest.raises(DomainError):
        services.add_member(place.team, stranger, actor=None)


def test_a_team_has_one_leader(place: Place) -> None:
    hung = factories.person(place.commune, name="Nguyễn Văn Hùng", role=None)
    services.add_member(place.team, hung, actor=None)
    services.set_leader(place.team, hung)
    assert [(m.person_id, m.is_leader) for m in place.team.members if m.is_leader] == [(hung.id, True)]


# --- reading a visit -----------------------------------------------------------------------------

def raw(place: Place, **changes) -> dict:
    values = {"household_id": str(place.home.id), "visited_on": TODAY.isoformat(), "visitors": [str(place.nam.id)],
              "helps": {str(place.huong.id): ["vneid_level2"], "0": ["spot_scam"]}, "still_needed": " Cần  thêm ",
              "follow_up_on": ""}
    values.update(changes)
    return values


def test_a_visit_is_read_from_form_or_device_fields(place: Place) -> None:
    data = services.read_visit(raw(place))
    assert data.household_id == place.home.id
    assert data.helps == {place.huong.id: ("vneid_level2",), services.HOUSEHOLD: ("spot_scam",)}
    assert data.visitors == (place.nam.id,)
    assert data.follow_up_on is None


@pytest.mark.parametrize(("changes", "message"), [
    ({"visited_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "tương lai"),
    ({"visited_on": "31/02/2026"}, "không hợp lệ"),
    ({"household_id": ""}, "chọn hộ"),
    ({"household_id": "99999999999"}, "không hợp lệ"),
    ({"visitors": []}, "ai đã đến"),
    ({"helps": {"1": ["fly_a_plane"]}}, "Loại hỗ trợ"),
    ({"helps": ["vneid_level2"]}, "không hợp lệ"),
    ({"still_needed": "x" * 301}, "300"),
    ({"follow_up_on": (TODAY - dt.timedelta(days=1)).isoformat()}, "quay lại"),
    ({"follow_up_on": (TODAY + dt.timedelta(days=400)).isoformat()}, "quay lại"),
])
def test_bad_visit_fields_are_refused_with_a_clear_message(place: Place, changes: dict, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        services.read_visit(raw(place, **changes))


# --- recording a visit ---------------------------------------------------------------------------

def test_a_visit_updates_the_records_of_a_helped_person_who_consented(place: Place) -> None:
    visit = services.record_visit(place.team, visit_of(place), actor=place.nam, client_id="web-visit-0001")
    facts = digital.current(place.huong)
    assert (facts["vneid"].value, facts["vneid"].source, facts["vneid"].reference) == (2, "visit", f"visit:{visit.id}")
    assert facts["smartphone"].value == 1
    assert facts["vneid"].observed_on == TODAY
    helped = {(h.person_id, h.kind) for h in visit.helps}
    assert (place.huong.id, "vneid_level2") in helped


def test_help_to_a_person_without_consent_is_kept_for_the_household_only(place: Place) -> None:
    visit = services.record_visit(place.team, visit_of(place, helps={place.binh.id: ("vneid_level2",)}),
                                  actor=place.nam, client_id="web-visit-0002")
    assert [(h.person_id, h.kind) for h in visit.helps] == [(None, "vneid_level2")]
    assert digital.current(place.binh) == {}
    assert db.session.scalar(select(func.count()).select_from(VisitHelp).where(
        VisitHelp.person_id == place.binh.id)) == 0


def test_help_to_a_person_the_actor_may_not_act_on_is_kept_for_the_household_only(place: Place) -> None:
    visit = services.record_visit(place.team, visit_of(place), actor=place.nam, client_id="web-visit-0003",
                                  may_act_on=lambda person: False)
    assert all(h.person_id is None for h in visit.helps)
    assert digital.current(place.huong) == {}


@pytest.mark.parametrize(("which", "message"), [
    ("west", "không thuộc thôn"),
    ("stranger", "thành viên của tổ"),
    ("not_resident", "thành viên của hộ"),
    ("future", "tương lai"),
])
def test_a_refused_visit_writes_nothing(place: Place, which: str, message: str) -> None:
    changes = {
        "west": {"household_id": place.west.id, "helps": {}},
        "stranger": {"visitors": (place.officer.id,)},
        "not_resident": {"helps": {place.officer.id: ("spot_scam",)}},
        "future": {"visited_on": TODAY + dt.timedelta(days=1)},
    }[which]
    with pytest.raises(DomainError, match=message):
        services.record_visit(place.team, visit_of(place, **changes), actor=place.nam, client_id="web-visit-0004")
    db.session.rollback()
    assert (count(Visit), count(VisitHelp), count(VisitMember), count(DigitalFact)) == (0, 0, 0, 0)


def test_a_household_of_another_commune_is_refused(place: Place) -> None:
    foreign = household(factories.village(place.other_commune, "Thôn Bắc"), "Số 1")
    with pytest.raises(DomainError, match="không thuộc thôn"):
        services.record_visit(place.team, visit_of(place, household_id=foreign.id, helps={}), actor=place.nam,
                              client_id="web-visit-0005")


def batch(place: Place, *client_ids: str, **changes) -> dict:
    return {"device": "phone-1", "items": [{"client_id": cid, "device_time": "2026-01-01T08:00:00+07:00",
                                            **raw(place, **changes)} for cid in client_ids]}


def receive(place: Place, payload: dict) -> tuple[dict, int]:
    return outbox.receive(payload, known=services.known_client_ids,
                          handle=lambda item: services.record_visit(place.team, services.read_visit(item.fields),
                                                                    actor=place.nam, client_id=item.client_id,
                                                                    device_time=item.device_time))


def test_a_visit_sent_twice_is_stored_once(place: Place) -> None:
    first, status = receive(place, batch(place, "device-visit-0001"))
    again, status_again = receive(place, batch(place, "device-visit-0001"))
    assert (status, status_again) == (200, 200)
    assert first["stored"] == again["stored"] == ["device-visit-0001"]
    assert count(Visit) == 1
    assert db.session.scalar(select(func.count()).select_from(DigitalFact).where(
        DigitalFact.person_id == place.huong.id, DigitalFact.fact == "vneid")) == 1


def test_a_refused_item_is_answered_with_its_reason_and_the_others_are_stored(place: Place) -> None:
    good = batch(place, "device-visit-0002")["items"]
    bad = batch(place, "device-visit-0003", visited_on=(TODAY + dt.timedelta(days=2)).isoformat())["items"]
    answer, status = receive(place, {"device": "phone-1", "items": good + bad})
    assert status == 200
    assert answer["stored"] == ["device-visit-0002"]
    assert answer["failed"][0]["client_id"] == "device-visit-0003"
    assert "tương lai" in answer["failed"][0]["message"]
    assert count(Visit) == 1


def test_the_device_time_is_kept(place: Place) -> None:
    receive(place, batch(place, "device-visit-0004"))
    visit = db.session.scalars(select(Visit)).one()
    assert visit.device_time.replace(tzinfo=dt.UTC) == dt.datetime(2026, 1, 1, 1, 0, tzinfo=dt.UTC)
