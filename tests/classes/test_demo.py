"""The demo's classes: one running with a session today, one full with a waiting list, one planned, one finished."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app import vietnam
from app.classes import demo as class_demo
from app.classes import enrolment, queries, services
from app.classes.models import Class
from app.demo import services as demo
from app.extensions import db
from app.people.models import Person


def _by_title() -> dict[str, Class]:
    return {c.title: c for c in db.session.scalars(select(Class))}


def test_the_demo_has_classes_in_every_state_with_a_session_today(ctx: Flask, curriculum) -> None:
    demo.load()
    classes = _by_title()
    assert {c.status for c in classes.values()} == {"running", "open", "planned", "finished"}
    today = vietnam.local_today()
    elderly = classes[class_demo.ELDERLY_CLASS]
    assert any(s.date == today and s.status == "scheduled" for s in elderly.sessions)
    assert [m.code for m in elderly.module_list] == ["NCT-01", "NCT-05", "NCT-06"]  # those synced, in order
    assert enrolment.counts([elderly.id])[elderly.id]["enrolled"] == 12
    names = {p.full_name for p in services.learners(elderly)}
    assert {"Nguyễn Thị Hương", "Trần Văn Bình"} <= names
    assert any(c.kind == "moved" for s in elderly.sessions for c in s.changes)
    hung = db.session.scalar(select(Person).where(Person.phone == "0900000003"))
    assert hung.id in elderly.assigned_ids and queries.teaching(hung, today, today)
    traders = classes[class_demo.TRADER_CLASS]
    assert enrolment.counts([traders.id])[traders.id] == {"enrolled": 6, "waitlisted": 2}
    disabled = classes[class_demo.DISABILITY_CLASS]
    assert disabled.sign_language and disabled.hearing_loop and disabled.venue.name == "Hội trường UBND xã"
    finished = classes[class_demo.FINISHED_CLASS]
    assert finished.status == "finished" and all(s.date < today for s in finished.sessions)
    assert len(services.learners(finished)) == 8


def test_the_demo_loads_classes_without_the_curriculum(ctx: Flask) -> None:
    demo.load()
    classes = _by_title()
    assert len(classes) == 4 and all(not c.modules for c in classes.values())
