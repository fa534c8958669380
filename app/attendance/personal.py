"""What attendance holds about a person, for their right of access."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.attendance.models import AttendanceMark
from app.classes.models import Class, ClassSession, Enrolment
from app.extensions import db
from app.people import rights
from app.people.models import Person


@rights.data_section("attendance")
def attendance(person: Person) -> list[dict[str, Any]]:
    """The person's mark at every session they were marked for."""
    rows = db.session.execute(
        select(AttendanceMark.status, AttendanceMark.source, ClassSession.date, ClassSession.start_time, Class.title)
        .join(Enrolment, Enrolment.id == AttendanceMark.enrolment_id)
        .join(ClassSession, ClassSession.id == AttendanceMark.session_id)
        .join(Class, Class.id == ClassSession.class_id)
        .where(Enrolment.person_id == person.id)
        .order_by(ClassSession.date, ClassSession.start_time))
    return [{"class": title, "date": day.isoformat(), "start": start.strftime("%H:%M"), "status": status,
             "how": source} for status, source, day, start, title in rows]
