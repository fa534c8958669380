"""What the teams feature holds about a person, for their right of access, and what erasure removes.

As a resident: the visits where they were named as helped. As a team member: their teams and the visits they
made. Erasure removes their memberships and their name from visits (as helped person and as visitor); the visits
themselves stay, as help to the household, so the commune's figures of households visited do not change.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from app.extensions import db
from app.people import rights
from app.people.models import Household, Person
from app.teams.kinds import HELP_KINDS
from app.teams.models import Team, TeamMember, Visit, VisitHelp, VisitMember


@rights.data_section("door_to_door_help")
def helped(person: Person) -> list[dict[str, Any]]:
    """The visits where the person was helped, with what they were helped with."""
    rows = db.session.execute(
        select(Visit.visited_on, Team.name, VisitHelp.kind).join(Visit, Visit.id == VisitHelp.visit_id)
        .join(Team, Team.id == Visit.team_id).where(VisitHelp.person_id == person.id)
        .order_by(Visit.visited_on, VisitHelp.id))
    return [{"visited_on": rights.iso(day), "team": team, "help": str(HELP_KINDS[kind].label)
             if kind in HELP_KINDS else kind} for day, team, kind in rows]


@rights.data_section("door_to_door_team")
def team_work(person: Person) -> dict[str, Any]:
    """The teams the person is in, and the visits they made."""
    teams = db.session.execute(select(Team.name, TeamMember.is_leader, TeamMember.joined_at)
                               .join(TeamMember).where(TeamMember.person_id == person.id)).all()
    visits = db.session.execute(
        select(Visit.visited_on, Household.address, Visit.still_needed, Visit.follow_up_on)
        .join(VisitMember, VisitMember.visit_id == Visit.id).join(Household, Household.id == Visit.household_id)
        .where(VisitMember.person_id == person.id).order_by(Visit.visited_on, Visit.id)).all()
    return {
        "teams": [{"team": name, "leader": leader, "joined_at": rights.iso(joined)} for name, leader, joined in teams],
        "visits_made": [{"visited_on": rights.iso(day), "household": address, "still_needed": still,
                         "follow_up_on": rights.iso(follow)} for day, address, still, follow in visits],
    }


@rights.on_erasure
def forget(person: Person, actor: Person | None) -> None:
    """Drop the person's memberships and their name from visits, keeping the visits as help to the household."""
    db.session.execute(update(VisitHelp).where(VisitHelp.person_id == person.id).values(person_id=None))
    db.session.execute(update(VisitMember).where(VisitMember.person_id == person.id).values(person_id=None))
    db.session.execute(update(Visit).where(Visit.recorded_by_id == person.id).values(recorded_by_id=None))
    db.session.execute(delete(TeamMember).where(TeamMember.person_id == person.id))
