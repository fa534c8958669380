"""What the classes feature holds about a person, for their right of access."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.classes.models import Class, Enrolment
from app.extensions import db
from app.people import rights
from app.people.models import Person


@rights.data_section("enrolments")
def enrolments(person: Person) -> list[dict[str, Any]]:
    """Every class the person asked to join, with what became of it."""
    rows = db.session.execute(select(Enrolment, Class.title).join(Class, Class.id == Enrolment.class_id)
                              .where(Enrolment.person_id == person.id).order_by(Enrolment.requested_at))
    return [{"class": title, "status": e.status, "how": e.source, "requested_at": rights.iso(e.requested_at),
             "enrolled_at": rights.iso(e.enrolled_at), "withdrawn_at": rights.iso(e.withdrawn_at)} for e, title in rows]
