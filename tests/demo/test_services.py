"""Demo data: every role can sign in, and large populations are generated in bulk."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.auth import services as auth
from app.demo import services as demo
from app.extensions import db
from app.people.models import Consent, Household, Person
from app.policy import Role


def test_demo_has_a_commune_with_villages_venues_and_every_role(ctx: Flask) -> None:
    commune = demo.load()
    assert commune.name == "Xã Tiên Minh" and len(commune.villages) == 3
    roles = {r for (r,) in db.session.execute(select(Person.role_assignments.property.mapper.class_.role))}
    assert {r.value for r in Role} <= roles
    learners = db.session.scalar(select(func.count()).select_from(Person)) - len(demo.STAFF)
    assert learners == len(demo.LEARNERS) == 30


def test_each_demo_account_signs_in_with_the_documented_secret(ctx: Flask) -> None:
    demo.load()
    for account in demo.STAFF:
        assert auth.authenticate(account.phone, demo.STAFF_PASSWORD).person is not None, account.full_name
    for account in demo.LEARNERS[:3]:
        assert auth.authenticate(account.phone, demo.LEARNER_PIN).person is not None, account.full_name


def test_generated_learners_come_with_households_and_consent(ctx: Flask) -> None:
    commune = demo.load()
    before = db.session.scalar(select(func.count()).select_from(Person))
    assert demo.generate_learners(commune, 1200) == 1200
    assert db.session.scalar(select(func.count()).select_from(Person)) == before + 1200
    assert db.session.scalar(select(func.count()).select_from(Consent)) >= 1200
    assert db.session.scalar(select(func.count()).select_from(Household)) >= 400
    sample = db.session.scalars(select(Person).order_by(Person.id.desc()).limit(5)).all()
    assert all(p.name_search and p.village_id and p.household_id for p in sample)
