"""Dashboard panels: today's roll calls for the staff of a class, and "check in" for learners with a class today."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.attendance import checkin, settings
from app.classes import queries
from app.classes.models import ClassSession, Enrolment
from app.classes.services import local_today
from app.extensions import db, utcnow
from app.home import panels


def roll_call_panel(person: Any) -> dict[str, Any] | None:
    """Today's sessions of the classes the person staffs, each one tap from its roll call and its QR screen."""
    today = local_today()
    sessions = [s for s in queries.teaching(person, today, today) if not s.cancelled]
    if not sessions:
        return None
    return {"sessions": sessions}


def checkin_panel(person: Any) -> dict[str, Any] | None:
    """A learner's classes meeting today, with the way to check in while check-in is open."""
    today = local_today()
    sessions = list(db.session.scalars(
        select(ClassSession).join(Enrolment, Enrolment.class_id == ClassSession.class_id)
        .where(Enrolment.person_id == person.id, Enrolment.status == "enrolled", ClassSession.date == today,
               ClassSession.status == "scheduled").order_by(ClassSession.start_time, ClassSession.id)))
    if not sessions:
        return None
    now = utcnow()
    late = settings.settings_for(person.commune_id)["late_window_minutes"]
    return {"sessions": [(s, checkin.window_state(s, now, late)) for s in sessions]}


panels.add(panels.Panel("roll_call", "attendance/_panel_roll_call.html", "classes.teach", 5, roll_call_panel))
panels.add(panels.Panel("checkin", "attendance/_panel_checkin.html", "attendance.checkin", 15, checkin_panel))
