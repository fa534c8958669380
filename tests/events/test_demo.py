"""The demo's events: this year's 10/10 learning day with the six ready-made stations, its roster, residents who
consented, came and tried stations; and last Saturday's weekly session with its one station."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.demo import services as demo
from app.events import demo as events_demo
from app.events import planning
from app.events.kinds import TOPICS
from app.events.models import Event, Participant, Shift, StationAnswer, StationVisit
from app.events.services import CONSENT
from app.extensions import db
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune
from app.vietnam import local_today


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_demo_has_a_learning_day_on_10_october_with_six_stations_and_a_roster(ctx: Flask, curriculum) -> None:
    demo.load()
    day = db.session.scalar(select(Event).where(Event.kind == "day"))
    assert day.held_on == dt.date(local_today().year, 10, 10) and day.commune.name == "Xã Tiên Minh"
    assert [s.topic for s in day.stations] == list(TOPICS) and all(s.materials for s in day.stations)
    assert [s.position for s in day.stations] == [1, 2, 3, 4, 5, 6]
    assert any(s.quiz_question_ids for s in day.stations)  # the sample curriculum's NCT-05 and NCT-06
    phones = {s.person.phone for s in day.shifts}
    assert {"0900000005", "0900000003", "0900000004"} <= phones and len(phones) >= 6
    gate = [s for s in day.shifts if s.duty == "gate"]
    assert any(s.person.phone == "0900000005" for s in gate)
    slots = {(s.starts_at, s.ends_at) for s in day.shifts}
    assert all(day.opens_at <= start < end <= day.closes_at for start, end in slots)


def test_the_demo_residents_consented_came_and_tried_stations(ctx: Flask, curriculum) -> None:
    demo.load()
    day = db.session.scalar(select(Event).where(Event.kind == "day"))
    participants = list(db.session.scalars(select(Participant).where(Participant.event_id == day.id)))
    assert len(participants) >= 15
    assert all(people.active_consent(p.person, CONSENT) is not None for p in participants)
    assert {p.source for p in participants} == {"signup", "import", "gate"}
    if day.held_on <= local_today():  # the day is past (or today): people came and tried stations
        assert sum(p.arrived_at is not None for p in participants) >= 12
        assert any(p.arrived_at is None for p in participants)  # someone signed up and did not come
        visits = db.session.scalar(select(func.count()).select_from(StationVisit)
                                   .where(StationVisit.event_id == day.id))
        assert visits >= 20 and count(StationAnswer) > 0 and any(p.wants_class for p in participants)
    else:  # still ahead: signed up only
        assert all(p.arrived_at is None for p in participants)


def test_the_demo_weekly_session_has_one_station_and_a_few_visits(ctx: Flask, curriculum) -> None:
    demo.load()
    weekly = db.session.scalar(select(Event).where(Event.kind == "weekly"))
    assert len(weekly.stations) == 1 and weekly.stations[0].topic == "scam"
    assert weekly.held_on < local_today() and weekly.held_on.weekday() == 5
    assert weekly.held_on != dt.date(local_today().year, 10, 10)
    visits = db.session.scalar(select(func.count()).select_from(StationVisit).where(StationVisit.event_id == weekly.id))
    assert visits == len(events_demo.WEEKLY_PEOPLE)


def test_the_demo_step_adds_nothing_the_second_time_and_no_new_people(ctx: Flask, curriculum) -> None:
    commune = demo.load()
    assert count(Person) == len(demo.STAFF) + len(demo.LEARNERS)  # everyone taking part is a demo person
    before = (count(Event), count(Shift), count(Participant), count(StationVisit), count(StationAnswer))
    events_demo.add_events(db.session.get(Commune, commune.id))
    assert (count(Event), count(Shift), count(Participant), count(StationVisit), count(StationAnswer)) == before


def test_the_demo_loads_without_a_curriculum(ctx: Flask) -> None:
    demo.load()
    day = db.session.scalar(select(Event).where(Event.kind == "day"))
    assert len(day.stations) == 6 and not any(s.quiz_question_ids for s in day.stations)
    assert planning.visit_counts(day) or day.held_on > local_today()


@pytest.mark.parametrize(("today", "weekly_on"), [
    (dt.date(2027, 8, 2), dt.date(2027, 7, 31)),  # 10/10 still ahead
    (dt.date(2026, 10, 13), dt.date(2026, 10, 3)),  # 10/10/2026 was last Saturday: that week's session gave way
])
def test_the_demo_follows_the_day_it_is_loaded_on(ctx: Flask, monkeypatch, today: dt.date,
                                                      weekly_on: dt.date) -> None:
    now = dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)
    monkeypatch.setattr(events_demo, "local_today", lambda: today)
    monkeypatch.setattr(events_demo, "utcnow", lambda: now)
    demo.load()
    day = db.session.scalar(select(Event).where(Event.kind == "day"))
    weekly = db.session.scalar(select(Event).where(Event.kind == "weekly"))
    assert day.held_on == dt.date(today.year, 10, 10) and weekly.held_on == weekly_on
    participants = list(db.session.scalars(select(Participant).where(Participant.event_id == day.id)))
    if day.held_on > today:
        assert participants and all(p.arrived_at is None and p.source != "gate" for p in participants)
        assert all(p.registered_at <= now for p in participants)
        assert not planning.visit_counts(day) and planning.visit_counts(weekly)
    else:
        assert planning.visit_counts(day) and planning.visit_counts(weekly)
