"""A commune's attendance rules, with defaults for communes that have not chosen their own."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement

from app import settings as kernel
from app.attendance.models import AttendanceSettings
from app.people.models import Person
from app.places.models import Commune


@dataclass(frozen=True)
class AttendanceRules:
    """How attendance is taken in a commune (the defaults are the README's)."""

    # The QR code and the short code still work this long after the session ends.
    late_window_minutes: int = kernel.number(15, 0, 180)
    grace_minutes: int = kernel.number(10, 0, 120)  # a check-in after start + grace is "late"
    absentee_streak: int = kernel.number(3, 1, 20)  # sessions missed in a row that put a learner on the follow-up list


STORE = kernel.Settings(AttendanceRules, AttendanceSettings)
DEFAULTS = STORE.defaults


def settings_for(commune_id: int | None) -> AttendanceRules:
    """Return the rules in force in a commune: its own, else the defaults."""
    return STORE.get(commune_id=commune_id)


def rule_in_force(key: str, commune_id: Any) -> ColumnElement[int]:
    """An SQL expression for one rule in force in a commune (an id, or a column such as Class.commune_id),
    to load with other rows instead of a query of its own."""
    return STORE.in_force(key, commune_id=commune_id)


def save_settings(commune: Commune, values: dict[str, Any], *, actor: Person | None) -> AttendanceSettings:
    """Store a commune's rules after checking each value (those not given keep the value in force)."""
    row: AttendanceSettings = STORE.save(values, actor=actor, commune_id=commune.id)
    return row
