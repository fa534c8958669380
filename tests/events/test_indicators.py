"""The commune's indicator of people who took part in learning days and events: distinct residents who came, in the
period, by village, audience, gender and age band."""
from __future__ import annotations

import datetime as dt
from typing import Any

from app.events import planning, services
from app.events.models import Event
from app.extensions import db
from app.indicators import REGISTRY, Dimension, Period
from app.people import services as people
from app.people.models import Person
from tests import factories
from tests.events.conftest import Day, consent
from tests.statements import counting

CODE = "event_participants"
Q4_2026, Y2026, Y2025 = Period(2026, 4), Period(2026), Period(2025)


def _event(day: Day, held_on: dt.date, *, commune: Any = None, kind: str = "day") -> Event:
    return planning.create_event(commune or day.commune, kind=kind, name=f"Hoạt động ngày {held_on:%d/%m/%Y}",
                                 held_on=held_on, opens_at=dt.time(7, 30), closes_at=dt.time(11), actor=None)


def _person(day: Day, name: str, **kwargs: Any) -> Person:
    person = factories.person(day.commune, name=name, account=False, consent=False, **kwargs)
    consent(person)
    return person


def _count(day: Day, period: Period, by: Dimension | None = None, communes: list[int] | None = None) -> dict:
    counts = REGISTRY[CODE].count(communes or [day.commune.id], period, by)
    return {key: n for (commune, key), n in counts.items() if commune == day.commune.id}


def _world(day: Day) -> dict[str, Person]:
    """The 10/10 day of 2026 and a weekly session in November; a mobile point in 2025; another commune's day."""
    ten_ten, weekly = _event(day, dt.date(2026, 10, 10)), _event(day, dt.date(2026, 11, 4), kind="weekly")
    last_year = _event(day, dt.date(2025, 10, 10), kind="mobile")
    huong, binh = day.huong, day.binh
    consent(binh)
    people.set_tags(binh, ["trader"])
    young = _person(day, "Phạm Thị Mai", village=day.tay, birth_year=2000, gender="female")
    absent = _person(day, "Vũ Văn Vắng", village=day.tay, birth_year=1970)
    erased = _person(day, "Đào Thị Xoá", village=day.dong, birth_year=1960)
    services.register(ten_ten, huong, source="gate", actor=None)
    services.register(weekly, huong, source="gate", actor=None)  # a second event: she still counts once
    services.register(ten_ten, binh, source="gate", actor=None)
    services.register(weekly, young, source="signup", actor=None)
    services.register(ten_ten, absent, source="signup", actor=None, arrived=False)  # signed up, never came
    services.register(ten_ten, erased, source="gate", actor=None)
    services.register(last_year, young, source="gate", actor=None)
    people.erase_person(erased, actor=None)
    elsewhere = _event(day, dt.date(2026, 10, 10), commune=day.other_commune)
    stranger = factories.person(day.other_commune, name="Lê Thị Vy", account=False, consent=False)
    consent(stranger)
    services.register(elsewhere, stranger, source="gate", actor=None)
    db.session.commit()
    return {"huong": huong, "binh": binh, "young": young}


def test_the_indicator_is_registered_and_computed(day: Day) -> None:
    indicator = REGISTRY[CODE]
    assert not indicator.manual and not indicator.cumulative and indicator.population is None
    assert set(indicator.dimensions) == {Dimension.VILLAGE, Dimension.AUDIENCE, Dimension.GENDER, Dimension.AGE_BAND}
    assert "disabled" in indicator.sensitive_groups


def test_distinct_residents_who_came_in_the_period_are_counted(day: Day) -> None:
    _world(day)
    assert _count(day, Y2026) == {None: 3}  # Hương (twice), Bình, Mai; not who never came, nor the erased
    assert _count(day, Q4_2026) == {None: 3}
    assert _count(day, Period(2026, 3)) == {}
    assert _count(day, Y2025) == {None: 1}  # Mai at the mobile point
    both = REGISTRY[CODE].count([day.commune.id, day.other_commune.id], Y2026)
    assert both == {(day.commune.id, None): 3, (day.other_commune.id, None): 1}


def test_by_village_audience_gender_and_age_band(day: Day) -> None:
    _world(day)
    assert _count(day, Y2026, Dimension.VILLAGE) == {day.dong.id: 1, day.tay.id: 2}
    audiences = _count(day, Y2026, Dimension.AUDIENCE)
    assert audiences == {"elderly": 2, "trader": 1}  # born 1955 and 1950; Bình trades too
    assert _count(day, Y2026, Dimension.AGE_BAND) == {"60_plus": 2, "under_35": 1}
    assert sum(_count(day, Y2026, Dimension.GENDER).values()) == 3
    assert _count(day, Y2026, Dimension.GENDER).get("female") == 1


def test_counting_costs_one_statement_whatever_the_number_of_people(day: Day) -> None:
    _world(day)
    commune_id = day.commune.id
    with counting() as few:
        REGISTRY[CODE].count([commune_id], Y2026, Dimension.AUDIENCE)
    ten_ten = _event(day, dt.date(2026, 12, 1))
    for i in range(40):
        services.register(ten_ten, _person(day, f"Người Số {i}", village=day.dong), source="gate", actor=None)
    db.session.commit()
    with counting() as many:
        counts = REGISTRY[CODE].count([commune_id], Y2026, Dimension.AUDIENCE)
    assert len(few) == len(many) == 1 and counts[(commune_id, "elderly")] == 42  # born 1956 by default
