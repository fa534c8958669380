"""The door-to-door indicators: people named as helped, and households visited, in the period, by village."""
from __future__ import annotations

import datetime as dt

from app.indicators import REGISTRY, Dimension, Period, Population, Unit
from app.teams import indicators, services
from app.vietnam import local_today
from tests.teams.conftest import Place, consent

TODAY = local_today()
YEAR = Period(TODAY.year)


def visit(place: Place, home, on: dt.date, helps: dict, client_id: str) -> None:
    services.record_visit(place.team, services.VisitInput(home.id, on, (place.nam.id,), helps), actor=place.nam,
                          client_id=client_id)


def test_the_computed_indicators_replace_the_hand_entered_ones(ctx) -> None:
    people, homes = REGISTRY["door_to_door_people"], REGISTRY["door_to_door_households"]
    assert people is indicators.DoorToDoorPeople and homes is indicators.DoorToDoorHouseholds
    assert not people.manual and not people.cumulative and not homes.cumulative
    assert (homes.unit, homes.population) == (Unit.HOUSEHOLDS, Population.HOUSEHOLDS)
    assert Dimension.VILLAGE in people.dimensions and Dimension.VILLAGE in homes.dimensions


def test_households_visited_count_once_in_the_period_by_village(place: Place) -> None:
    west_team = services.create_team(place.commune, place.tay, "", actor=None)
    services.add_member(west_team, place.officer, actor=None)
    visit(place, place.home, TODAY, {}, "web-ind-0001")
    visit(place, place.home, TODAY, {}, "web-ind-0002")
    visit(place, place.home, dt.date(TODAY.year - 1, 12, 31), {}, "web-ind-0003")
    services.record_visit(west_team, services.VisitInput(place.west.id, TODAY, (place.officer.id,), {}),
                          actor=place.officer, client_id="web-ind-0004")
    ids = [place.commune.id]
    assert indicators.DoorToDoorHouseholds.count(ids, YEAR) == {(place.commune.id, None): 2}
    assert indicators.DoorToDoorHouseholds.count(ids, YEAR, Dimension.VILLAGE) == {
        (place.commune.id, place.dong.id): 1, (place.commune.id, place.tay.id): 1}
    assert indicators.DoorToDoorHouseholds.count(ids, Period(TODAY.year - 1)) == {(place.commune.id, None): 1}


def test_people_count_when_named_as_helped_and_not_otherwise(place: Place) -> None:
    visit(place, place.home, TODAY, {place.huong.id: ("spot_scam",), place.binh.id: ("spot_scam",)}, "web-ind-0005")
    visit(place, place.home, TODAY, {place.huong.id: ("vietqr",)}, "web-ind-0006")
    ids = [place.commune.id]
    assert indicators.DoorToDoorPeople.count(ids, YEAR) == {(place.commune.id, None): 1}  # Bình did not consent
    consent(place.binh)
    visit(place, place.home, TODAY, {place.binh.id: ("vietqr",)}, "web-ind-0007")
    assert indicators.DoorToDoorPeople.count(ids, YEAR, Dimension.VILLAGE) == {(place.commune.id, place.dong.id): 2}
    assert indicators.DoorToDoorPeople.count(ids, Period(TODAY.year + 1)) == {}
