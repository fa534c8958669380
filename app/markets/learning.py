"""What a stall's trader can learn: the 4T track's modules (with the trader's progress) and the classes for traders."""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.catalog import progress
from app.catalog.models import Module, Track
from app.certificates.models import Completion
from app.classes.enrolment import SELF_ENROL_STATUSES
from app.classes.models import Class, ClassModule, Enrolment
from app.extensions import db
from app.people.audiences import Audience
from app.people.models import Person
from app.vietnam import local_today

TRACK = "tieu-thuong-4t"  # courses/tracks.yaml


def track_modules() -> list[Module]:
    """Return the 4T track's modules in the track's order (none when the curriculum is not loaded)."""
    track = db.session.get(Track, TRACK)
    if track is None or not track.module_codes:
        return []
    found = {m.code: m for m in db.session.scalars(
        select(Module).where(Module.code.in_(track.module_codes), Module.active.is_(True)))}
    return [found[code] for code in track.module_codes if code in found]


def trader_progress(trader: Person, modules: list[Module]) -> dict[int, progress.ModuleProgress]:
    """Return the trader's progress in each module (lessons read, quiz passed), in one query."""
    return progress.module_progress(trader.id, modules)


def completed(person_ids: Collection[int], module_ids: Collection[int]) -> dict[int, int]:
    """Return how many of the modules each person has completed (confirmed), in one GROUP BY query."""
    if not person_ids or not module_ids:
        return {}
    rows = db.session.execute(
        select(Completion.person_id, func.count(Completion.module_id))
        .where(Completion.person_id.in_(list(person_ids)), Completion.module_id.in_(list(module_ids)),
               Completion.status == "confirmed")
        .group_by(Completion.person_id))
    return {person_id: count for person_id, count in rows}


def trader_classes(commune_id: int, modules: list[Module], *, today: dt.date | None = None) -> list[Class]:
    """Return the commune's classes a trader can join now: those for traders or teaching a 4T module."""
    today = today or local_today()
    teaching = select(ClassModule.class_id).where(ClassModule.module_id.in_([m.id for m in modules]))
    stmt = (select(Class).where(Class.commune_id == commune_id, Class.status.in_(SELF_ENROL_STATUSES),
                                Class.ends_on >= today,
                                or_(Class.audience == Audience.TRADER.value, Class.id.in_(teaching)))
            .options(selectinload(Class.venue)).order_by(Class.starts_on, Class.id))
    return list(db.session.scalars(stmt))


def enrolled_in(person: Person, classes: list[Class]) -> set[int]:
    """Return which of the classes the person is enrolled in or waiting for."""
    if not classes:
        return set()
    return set(db.session.scalars(select(Enrolment.class_id).where(
        Enrolment.person_id == person.id, Enrolment.class_id.in_([c.id for c in classes]),
        Enrolment.status.in_(("enrolled", "waitlisted")))))
