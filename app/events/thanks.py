"""Thanking the volunteers: a certificate of participation for everyone on the event's roster, with their hours.

The roster's filled slots say who volunteered and for how long (`summary.roster`: overlapping slots count once);
the certificates themselves are the certificates feature's (`app/certificates/thanks.py`). Issuing goes a batch at
a time so the page can show progress, and can be stopped and run again: a volunteer who has theirs keeps it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from app.certificates import issuing
from app.certificates import thanks as certificates
from app.certificates.models import Certificate
from app.events.models import Event
from app.events.summary import Volunteer, roster
from app.extensions import db
from app.people.models import Person
from app.vietnam import day


@dataclass(frozen=True)
class Progress:
    """Where issuing an event's volunteer certificates stands: `done` of `total` volunteers."""

    done: int
    total: int

    @property
    def remaining(self) -> int:
        return self.total - self.done


def achievement(event: Event) -> str:
    """The event as a volunteer's certificate names it (in Vietnamese, as the certificate is printed)."""
    return f"{event.name}, ngày {day(event.held_on)}"


def volunteers(event: Event) -> list[Volunteer]:
    """The volunteers a certificate thanks: everyone on the roster with some time on it."""
    return [v for v in roster(event).volunteers if v.hours > 0]


def issued(event: Event) -> dict[int, Certificate]:
    """The event's volunteer certificates, by person id."""
    return certificates.of_event(event.id)


def issue_next(event: Event, *, batch: int, signer: issuing.Signer, actor: Person | None, base_url: str,
               secret: str, today: dt.date) -> Progress:
    """Issue the next `batch` certificates of the event's volunteers who have none; return the progress."""
    everyone = volunteers(event)
    have = set(issued(event))
    waiting = [v for v in everyone if v.person_id not in have]
    now = waiting[:batch]
    if now:
        found = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_([v.person_id for v in now])))}
        certificates.issue_thanks(event.commune, event.id, achievement(event),
                                  [certificates.Service(found[v.person_id], v.hours) for v in now],
                                  signer=signer, actor=actor, base_url=base_url, secret=secret, today=today)
    return Progress(done=len(everyone) - len(waiting) + len(now), total=len(everyone))
