"""A commune with two villages, a venue, the organisers, and a 10/10 day with three stations (two with a quiz drawn
from the sample curriculum), people who consented to take part and one who did not."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from app.events import planning
from app.events.models import Event, Station
from app.events.services import CONSENT
from app.extensions import db
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune, Venue, Village
from app.policy import Role
from app.vietnam import local_today
from tests import factories


@dataclass
class Day:
    commune: Commune
    dong: Village
    tay: Village
    venue: Venue
    officer: Person
    youth: Person  # the youth union's organiser
    instructor: Person  # on the roster (a station's volunteer)
    event: Event
    vneid: Station  # ready-made topic, quiz from nct-03 (not in the sample curriculum: no quiz)
    qr: Station  # ready-made topic with a quiz from nct-05
    scam: Station  # with a quiz from nct-06
    huong: Person  # consents to the event's purpose
    binh: Person  # does not
    other_commune: Commune


def consent(person: Person) -> None:
    people.record_consent(person, purpose=CONSENT, method="paper", policy_version="test", recorded_by=None)


def build(held_on: dt.date | None = None) -> Day:
    commune = factories.commune()
    dong, tay = factories.village(commune), factories.village(commune, "Thôn Tây")
    venue = factories.venue(commune)
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    youth = factories.person(commune, name="Lê Quang Huy", role=Role.YOUTH_ORGANISER)
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    event = planning.create_event(commune, kind="day", name="Ngày hội toàn dân học tập số 10/10",
                                  held_on=held_on or local_today(), opens_at=dt.time(7, 30),
                                  closes_at=dt.time(16, 30), venues=[venue], actor=youth)
    vneid = planning.add_station(event, topic="vneid")
    qr = planning.add_station(event, topic="vietqr")
    scam = planning.add_station(event, topic="scam")
    huong = factories.person(commune, name="Nguyễn Thị Hương", village=dong, birth_year=1955)
    binh = factories.person(commune, name="Trần Văn Bình", village=tay, birth_year=1950)
    consent(huong)
    other = factories.commune(factories.COMMUNE_CODES[1])
    db.session.commit()
    return Day(commune, dong, tay, venue, officer, youth, instructor, event, vneid, qr, scam, huong, binh, other)


@pytest.fixture
def day(ctx: Any, curriculum: Any) -> Day:
    return build()
