"""Dashboard panels: the instructor's day, and a learner's own classes with any changes to them."""
from __future__ import annotations

import datetime as dt
from typing import Any

from app.classes import queries
from app.classes.services import local_today
from app.home import panels
from app.policy import Role

UPCOMING_DAYS = 7


def teaching_panel(person: Any) -> dict[str, Any] | None:
    """Today's sessions first, then the next week's, for anyone who instructs or assists a class."""
    if not queries.staffs_any_class(person):
        return None
    today = local_today()
    sessions = queries.teaching(person, today, today + dt.timedelta(days=UPCOMING_DAYS))
    return {"today": [s for s in sessions if s.date == today], "upcoming": [s for s in sessions if s.date > today],
            "today_date": today}


def learning_panel(person: Any) -> dict[str, Any] | None:
    """A learner's classes: their place, the next session and any session moved or cancelled."""
    mine = queries.my_classes(person)
    if not mine and not any(a.role == Role.LEARNER for a in person.active_roles):
        return None
    return {"classes": mine, "describe": queries.changes_label}


panels.add(panels.Panel("teaching", "classes/_panel_teaching.html", "classes.teach", 10, teaching_panel))
panels.add(panels.Panel("learning", "classes/_panel_learning.html", "classes.browse", 20, learning_panel))
