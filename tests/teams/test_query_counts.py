"""The team's plan page costs the same number of SQL statements for a village of 3 households as for one of 300
households with 600 visits."""
from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import insert, select

from app.extensions import db
from app.people.models import Household, Person
from app.teams.models import Visit, VisitHelp, VisitMember
from app.vietnam import local_today
from tests.conftest import login
from tests.statements import counting
from tests.teams.conftest import Place, consent, household

TODAY = local_today()


def grow(place: Place, households: int, visits_each: int, tag: str) -> None:
    """Add households (two members each, one consenting) and visits with help to both."""
    made = []
    for n in range(households):
        members = [Person(full_name=f"Người {n}-{k}", name_search=f"nguoi {n} {k}", commune_id=place.commune.id,
                          village_id=place.dong.id, birth_year=1950 + k) for k in range(2)]
        db.session.add_all(members)
        db.session.flush()
        consent(members[0])
        made.append((household(place.dong, f"Số {n + 20}{tag}, ngõ {n % 7}", f"Ngõ {n % 7}", *members), members))
    for n, (home, members) in enumerate(made):
        for k in range(visits_each):
            day = TODAY - dt.timedelta(days=k * 3 + n % 5)
            visit_id = db.session.scalar(insert(Visit).returning(Visit.id).values(
                team_id=place.team.id, household_id=home.id, commune_id=place.commune.id, village_id=place.dong.id,
                visited_on=day, still_needed="", follow_up_on=day + dt.timedelta(days=4),
                client_id=f"bulk-{tag}-{n}-{k}"))
            db.session.execute(insert(VisitMember).values(visit_id=visit_id, person_id=place.nam.id))
            db.session.execute(insert(VisitHelp), [{"visit_id": visit_id, "person_id": p.id, "kind": "spot_scam"}
                                                   for p in members])
    db.session.commit()


def statements(app: Flask, place: Place) -> int:
    client = login(app.test_client(), place.nam)
    client.get(f"/teams/{place.team.id}/plan")  # warm-up: nothing per process is counted
    with counting() as ran:
        assert client.get(f"/teams/{place.team.id}/plan").status_code == 200
    return len(ran)


def test_the_plan_page_costs_the_same_statements_whatever_the_households_and_visits(app: Flask,
                                                                                     place: Place) -> None:
    grow(place, 2, 1, "small")
    small = statements(app, place)
    grow(place, 300, 2, "large")
    assert db.session.scalar(select(Household.id).order_by(Household.id.desc()).limit(1)) > 300
    assert statements(app, place) == small
