"""A commune's attendance rules, with defaults for communes that have not chosen their own."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select

from app.attendance.models import AttendanceSettings
from app.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.places.models import Commune

DEFAULTS: dict[str, int] = {
    "late_window_minutes": 15,  # the QR code and short code still work this long after the session ends
    "grace_minutes": 10,  # a check-in after start + grace is "late"
    "absentee_streak": 3,  # sessions missed in a row that put a learner on the follow-up list
}
LIMITS = {"late_window_minutes": (0, 180), "grace_minutes": (0, 120), "absentee_streak": (1, 20)}


def settings_for(commune_id: int | None) -> dict[str, int]:
    """Return the rules in force in a commune: its own, else the defaults."""
    row = db.session.get(AttendanceSettings, commune_id) if commune_id else None
    if row is None:
        return dict(DEFAULTS)
    return {key: int(getattr(row, key)) for key in DEFAULTS}


def rule_in_force(key: str, commune_id: Any) -> ColumnElement[int]:
    """An SQL expression for one rule in force in a commune (an id, or a column such as Class.commune_id),
    to load with other rows instead of a query of its own."""
    own = select(getattr(AttendanceSettings, key)).where(AttendanceSettings.commune_id == commune_id)
    return func.coalesce(own.scalar_subquery(), DEFAULTS[key])


def save_settings(commune: Commune, values: dict[str, Any], *, actor: Person | None) -> AttendanceSettings:
    """Store a commune's rules after checking each value."""
    for key, (low, high) in LIMITS.items():
        value = values.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise DomainError(_l("Giá trị phải từ %(low)s đến %(high)s.", low=low, high=high), field=key)
    row = db.session.get(AttendanceSettings, commune.id)
    if row is None:
        row = AttendanceSettings(commune_id=commune.id)
        db.session.add(row)
    for key in DEFAULTS:
        setattr(row, key, values[key])
    row.updated_by_id = actor.id if actor else None
    db.session.flush()
    return row
