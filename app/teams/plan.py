"""A team's plan, read with SQL aggregates: households not visited yet, follow-ups due, recent visits, the roster.

Every function runs a fixed number of statements whatever the number of households or visits.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import selectinload

from app.digital.services import PURPOSE
from app.extensions import db
from app.people.models import Consent, Household, Person
from app.teams.models import Team, Visit, VisitHelp, VisitMember

NOT_VISITED_SHOWN = 300  # the list a team walks by; the rest are counted


@dataclass(frozen=True)
class Progress:
    """How far the team has gone: households of its village, those visited, those visited this year."""

    households: int
    visited: int
    visited_this_year: int


def _visited(household_id: Any) -> Any:
    return exists().where(Visit.household_id == household_id)


def progress(team: Team, today: dt.date) -> Progress:
    """Count the village's households and those visited (ever, and this year), in one query."""
    year_start = dt.date(today.year, 1, 1)
    row = db.session.execute(select(
        func.count(Household.id),
        func.count(case((_visited(Household.id), 1))),
        func.count(case((exists().where(Visit.household_id == Household.id, Visit.visited_on >= year_start), 1))),
    ).where(Household.village_id == team.village_id)).one()
    return Progress(*row)


def not_visited(team: Team, limit: int = NOT_VISITED_SHOWN) -> list[Household]:
    """Return the village's households no team has visited, by alley and address, with their members."""
    return list(db.session.scalars(
        select(Household).where(Household.village_id == team.village_id, ~_visited(Household.id))
        .order_by(Household.alley, Household.address, Household.id).limit(limit)
        .options(selectinload(Household.members))))


@dataclass(frozen=True)
class FollowUp:
    household_id: int
    address: str
    alley: str
    follow_up_on: dt.date
    still_needed: str
    visited_on: dt.date


def follow_ups(team: Team, until: dt.date) -> list[FollowUp]:
    """Households whose latest visit asked to come back by `until` (overdue ones too), soonest first."""
    ranked = select(
        Visit.household_id, Visit.follow_up_on, Visit.still_needed, Visit.visited_on,
        func.row_number().over(partition_by=Visit.household_id,
                               order_by=(Visit.visited_on.desc(), Visit.id.desc())).label("rank"),
    ).where(Visit.village_id == team.village_id).subquery()
    rows = db.session.execute(
        select(ranked.c.household_id, Household.address, Household.alley, ranked.c.follow_up_on,
               ranked.c.still_needed, ranked.c.visited_on)
        .join(Household, Household.id == ranked.c.household_id)
        .where(ranked.c.rank == 1, ranked.c.follow_up_on.is_not(None), ranked.c.follow_up_on <= until)
        .order_by(ranked.c.follow_up_on, Household.alley, Household.address).limit(NOT_VISITED_SHOWN))
    return [FollowUp(*row) for row in rows]


def recent(team: Team, limit: int = 10) -> list[Visit]:
    """The team's latest visits with their household, visitors and help."""
    return list(db.session.scalars(
        select(Visit).where(Visit.team_id == team.id).order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(limit)
        .options(selectinload(Visit.household), selectinload(Visit.visitors).selectinload(VisitMember.person),
                 selectinload(Visit.helps).selectinload(VisitHelp.person))))


def roster(team: Team) -> list[dict[str, Any]]:
    """The village's households and members, for the visit form (built on the phone, offline too): two queries."""
    households = db.session.execute(
        select(Household.id, Household.address, Household.alley).where(Household.village_id == team.village_id)
        .order_by(Household.alley, Household.address, Household.id)).all()
    consented = exists().where(Consent.person_id == Person.id, Consent.purpose == PURPOSE,
                               Consent.withdrawn_at.is_(None))
    members: dict[int, list[dict[str, Any]]] = {}
    for pid, name, born, household_id, consent in db.session.execute(
            select(Person.id, Person.full_name, Person.birth_year, Person.household_id, consented)
            .join(Household, and_(Household.id == Person.household_id, Household.village_id == team.village_id))
            .where(Person.erased_at.is_(None)).order_by(Person.household_id, Person.birth_year, Person.id)):
        members.setdefault(household_id, []).append({"id": pid, "name": name, "born": born, "consent": bool(consent)})
    return [{"id": hid, "address": address, "alley": alley, "members": members.get(hid, [])}
            for hid, address, alley in households]
