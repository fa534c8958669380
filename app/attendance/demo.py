"""Demo attendance: marks for every past session of the demo's classes, so the reports have something to show.

Mostly present, a few late, absent or excused; one learner of the running class has missed its last three
sessions, so the absentee list has someone to follow up. Deterministic, and quick (one batch per session).
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from app.attendance import marks
from app.classes import demo as class_demo  # noqa: F401  (its step, which makes the classes, must run first)
from app.classes.models import Class
from app.demo import services as demo
from app.extensions import db, utcnow
from app.people.models import Person
from app.places.models import Commune
from app.vietnam import local_today

ABSENT_LATELY = "0910000029"  # Âu Thị Kim: the running class's learner the team should call on


def add_marks(commune: Commune) -> None:
    """Mark the demo classes' past sessions."""
    rng = random.Random(2026)
    today, now = local_today(), utcnow()
    for klass in db.session.scalars(select(Class).where(Class.commune_id == commune.id).order_by(Class.id)):
        past = [s for s in klass.sessions if s.status == "scheduled" and s.date < today]
        if not past:
            continue
        staff = klass.instructors[0] if klass.instructors else None
        for session in past:
            writes = []
            for enrolment in marks.learners(session):
                person: Person = enrolment.person
                roll = rng.random()
                status = "absent" if person.phone == ABSENT_LATELY and klass.status == "running" else \
                    "present" if roll < 0.78 else "late" if roll < 0.88 else "absent" if roll < 0.95 else "excused"
                when = session.starts_at + dt.timedelta(minutes=rng.randint(0, 20))
                writes.append(marks.Write(enrolment.id, status, marks.new_client_id("demo"), when.astimezone(dt.UTC),
                                          "tap"))
            marks.record(session, writes, actor=staff, now=now)
    db.session.flush()


if add_marks not in demo.STEPS:
    demo.STEPS.append(add_marks)
