"""The demo commune shows people's digital facts and digital families with realistic data."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.demo import services as demo
from app.digital import services as digital
from app.digital.models import DigitalFact
from app.extensions import db
from app.families import services as families
from app.people.models import Household, Person
from app.vietnam import local_today


def test_the_demo_records_facts_only_for_people_who_agreed_and_gives_households_alleys(ctx: Any) -> None:
    commune = demo.load()
    recorded = set(db.session.scalars(select(DigitalFact.person_id).distinct()))
    assert len(recorded) >= 20
    for person in db.session.scalars(select(Person).where(Person.id.in_(recorded))):
        assert digital.may_record(person)
    sources = set(db.session.scalars(select(DigitalFact.source).distinct()))
    assert {"visit", "self"} <= sources
    assert not db.session.scalar(select(func.count()).select_from(Household)
                                 .where(Household.commune_id == commune.id, Household.alley == ""))
    figures = families.coverage(commune, local_today())
    assert figures.total.households > 0 and len(figures.villages) == 3
