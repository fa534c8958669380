"""Walk-ins during roll call: someone enrolled (or seated above capacity) from the roll call is marked present."""
from __future__ import annotations

import datetime as dt

from app.attendance import marks
from app.classes.models import ClassSession, Enrolment
from app.people.models import Person
from app.vietnam import VIETNAM


def arrive(session: ClassSession, enrolment: Enrolment, *, actor: Person | None, now: dt.datetime) -> bool:
    """Mark a learner just enrolled at the session present; False (nothing marked) while they only wait for a seat.

    Raises DomainError when the session takes no such mark (cancelled, or not yet held).
    """
    if enrolment.status != "enrolled" or enrolment.class_id != session.class_id:
        return False
    marks.mark(session, enrolment, "present", actor=actor, now=now)
    return True


def takes_arrivals(session: ClassSession, now: dt.datetime) -> bool:
    """Tell whether newcomers can be marked present at this session now (held today or earlier, not cancelled)."""
    return session.status == "scheduled" and session.date <= now.astimezone(VIETNAM).date()
