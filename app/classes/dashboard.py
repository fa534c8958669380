"""Dashboard panels: the commune's sessions today for its officers, the instructor's day, and a learner's own classes
with any changes to them."""
from __future__ import annotations

from typing import Any

from app.catalog import progress
from app.classes import queries
from app.home import panels
from app.policy import Role
from app.vietnam import local_today

UPCOMING_DAYS = queries.TEACHING_DAYS


def teaching_panel(person: Any) -> dict[str, Any] | None:
    """Today's sessions first, then the next week's, for anyone who instructs or assists a class."""
    sessions = queries.teaching_week(person)
    if not sessions and not queries.staffs_any_class(person):
        return None
    today = local_today()
    return {"today": [s for s in sessions if s.date == today], "upcoming": [s for s in sessions if s.date > today],
            "today_date": today}


def learning_panel(person: Any) -> dict[str, Any] | None:
    """A learner's classes: their place, the next session, any session moved or cancelled, and "Học tiếp"."""
    mine = queries.my_classes_once(person)  # a session that ended earlier today is not "Buổi tới"
    if not mine and not any(a.role == Role.LEARNER for a in person.active_roles):
        return None
    views, step = progress.learning(person)
    return {"classes": mine, "describe": queries.changes_label, "learning": views, "next": step}


def commune_today_panel(person: Any) -> dict[str, Any] | None:
    """Today's sessions of every class the officer or organiser runs, each one tap from its roll call."""
    today = local_today()
    sessions = queries.sessions_on(queries.within_reach(person, "classes.manage"), today)
    if not sessions:
        return None
    return {"sessions": sessions, "today_date": today}


panels.add(panels.Panel("commune_today", "classes/_panel_commune_today.html", "classes.manage", 1,
                        commune_today_panel, task=True))
panels.add(panels.Panel("teaching", "classes/_panel_teaching.html", "classes.teach", 10, teaching_panel))
panels.add(panels.Panel("learning", "classes/_panel_learning.html", "classes.browse", 20, learning_panel))
