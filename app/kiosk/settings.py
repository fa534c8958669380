"""A commune's kiosk idle times, with the defaults from the configuration for communes that chose none."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.classes.models import Class
from app.errors import DomainError
from app.extensions import db
from app.kiosk.models import KioskSettings
from app.people.models import Person
from app.places.models import Commune

# Minutes an officer may choose: at least one (the 30-second warning needs room), at most an hour.
MINUTES = (1, 60)
# The warning before sign-out: 30 seconds, never more than half the idle time.
COUNTDOWN_SECONDS = 30


@dataclass(frozen=True)
class IdleTimes:
    """How long a kiosk waits without a touch: on a lesson or quiz question, and elsewhere (seconds)."""

    lesson: int
    other: int


def countdown(seconds: int) -> int:
    """Return how long the "are you still there?" countdown lasts for an idle time."""
    return max(1, min(COUNTDOWN_SECONDS, seconds // 2))


def defaults() -> IdleTimes:
    """Return the idle times of a commune that has not chosen its own (KIOSK_IDLE_* settings)."""
    config = current_app.config
    return IdleTimes(int(config["KIOSK_IDLE_LESSON_SECONDS"]), int(config["KIOSK_IDLE_SECONDS"]))


def idle_times(commune_id: int | None) -> IdleTimes:
    """Return the idle times in force in a commune: its own, else the defaults."""
    row = db.session.get(KioskSettings, commune_id) if commune_id else None
    if row is None:
        return defaults()
    return IdleTimes(row.lesson_idle_seconds, row.idle_seconds)


def class_idle_times(class_id: int) -> IdleTimes:
    """Return the idle times in force for a class's tablet (its commune's, else the defaults), in one query."""
    row = db.session.execute(
        select(KioskSettings.lesson_idle_seconds, KioskSettings.idle_seconds).select_from(Class)
        .join(KioskSettings, KioskSettings.commune_id == Class.commune_id).where(Class.id == class_id)).first()
    return defaults() if row is None else IdleTimes(row.lesson_idle_seconds, row.idle_seconds)


def _minutes(value: object, field: str) -> int:
    low, high = MINUTES
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(_l("Giá trị phải từ %(low)s đến %(high)s.", low=low, high=high), field=field)
    return value


def save_minutes(commune: Commune, lesson_minutes: object, other_minutes: object, *,
                 actor: Person | None) -> KioskSettings:
    """Store a commune's idle times, given in whole minutes, after checking each."""
    lesson, other = _minutes(lesson_minutes, "lesson_minutes"), _minutes(other_minutes, "other_minutes")
    return save_seconds(commune, lesson * 60, other * 60, actor=actor)


def save_seconds(commune: Commune, lesson: int, other: int, *, actor: Person | None) -> KioskSettings:
    """Store a commune's idle times in seconds (the form checks minutes; tests use a few seconds)."""
    if lesson < 1 or other < 1:
        raise DomainError(_l("Thời gian chờ phải lớn hơn 0."))
    row = db.session.get(KioskSettings, commune.id)
    if row is None:
        row = KioskSettings(commune_id=commune.id)
        db.session.add(row)
    row.lesson_idle_seconds, row.idle_seconds = lesson, other
    row.updated_by_id = actor.id if actor else None
    db.session.flush()
    return row
