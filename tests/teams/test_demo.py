"""The demo's teams: one per village with a leader, visits of the past weeks that updated consenting residents."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.demo import services as demo
from app.digital.models import DigitalFact
from app.extensions import db
from app.people.models import Person
from app.teams import plan
from app.teams.models import Team, Visit, VisitHelp
from app.vietnam import local_today


def test_the_demo_has_a_team_per_village_and_visits(ctx: Flask, curriculum) -> None:
    demo.load()
    teams = {t.village.name: t for t in db.session.scalars(select(Team))}
    assert set(teams) == {"Thôn Đông", "Thôn Trung Hòa", "Thôn Tây"}
    dong = teams["Thôn Đông"]
    leader = next(m.person for m in dong.members if m.is_leader)
    assert leader.phone == "0900000007"
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 4
    assert db.session.scalar(select(func.count()).select_from(DigitalFact).where(DigitalFact.source == "visit")) > 0
    assert db.session.scalar(select(func.count()).select_from(VisitHelp).where(VisitHelp.person_id.is_(None))) > 0
    assert plan.not_visited(dong) and plan.follow_ups(dong, local_today().replace(day=28).replace(
        month=12, year=local_today().year + 1))
    nam = db.session.scalar(select(Person).where(Person.phone == "0900000007"))
    assert nam is not None
