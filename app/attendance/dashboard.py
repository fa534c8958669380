"""Dashboard panels: today's roll calls for the staff of a class, and "check in" for learners with a class today.

Both read what the classes' home panels read anyway (once per request): the home is the most opened page."""
from __future__ import annotations

from typing import Any

from app.attendance import checkin, settings
from app.classes import queries
from app.extensions import utcnow
from app.home import panels
from app.vietnam import local_today


def roll_call_panel(person: Any) -> dict[str, Any] | None:
    """Today's sessions of the classes the person staffs, each one tap from its roll call and its QR screen."""
    today = local_today()  # the staff's week is read once per request for all their panels
    sessions = [s for s in queries.teaching_week(person) if s.date == today and not s.cancelled]
    if not sessions:
        return None
    return {"sessions": sessions}


def checkin_panel(person: Any) -> dict[str, Any] | None:
    """A learner's classes meeting today, with the way to check in while check-in is open."""
    today = local_today()  # the learner's classes and their sessions are read once per request for their panels
    sessions = sorted((s for mine in queries.my_classes_once(person) if mine.enrolment.status == "enrolled"
                       for s in mine.sessions if s.date == today and s.status == "scheduled"),
                      key=lambda s: (s.start_time, s.id))
    if not sessions:
        return None
    now = utcnow()
    late = settings.settings_for(person.commune_id).late_window_minutes
    return {"sessions": [(s, checkin.window_state(s, now, late)) for s in sessions]}


panels.add(panels.Panel("roll_call", "attendance/_panel_roll_call.html", "classes.teach", 5, roll_call_panel))
panels.add(panels.Panel("checkin", "attendance/_panel_checkin.html", "attendance.checkin", 15, checkin_panel))
