"""A person's door-to-door data in their export, and what erasure removes (the visits still count, unnamed)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.people import rights
from app.people import services as people
from app.teams import services
from app.teams.models import TeamMember, Visit, VisitHelp, VisitMember
from app.vietnam import local_today
from tests.teams.conftest import Place

TODAY = local_today()


def visit(place: Place) -> Visit:
    data = services.VisitInput(place.home.id, TODAY, (place.nam.id,), {place.huong.id: ("spot_scam",)}, "Cần thêm")
    return services.record_visit(place.team, data, actor=place.nam, client_id="web-personal-0001")


def test_the_export_has_help_received_and_visits_made(place: Place) -> None:
    visit(place)
    helped = rights.sections(place.huong)["door_to_door_help"]
    assert helped == [{"visited_on": TODAY.isoformat(), "team": place.team.name, "help": "Nhận biết lừa đảo trên mạng"}]
    work = rights.sections(place.nam)["door_to_door_team"]
    assert work["teams"][0]["leader"] is True
    assert work["visits_made"][0]["household"] == place.home.address


def test_erasure_drops_names_from_visits_and_memberships_but_keeps_the_visits(place: Place) -> None:
    visit(place)
    people.erase_person(place.huong, actor=place.officer)
    people.erase_person(place.nam, actor=place.officer)
    db.session.flush()
    assert db.session.scalars(select(VisitHelp.person_id)).all() == [None]
    assert db.session.scalars(select(VisitMember.person_id)).all() == [None]
    assert db.session.scalar(select(Visit.recorded_by_id)) is None
    assert db.session.scalars(select(TeamMember)).all() == []
