"""Demo data for the commune's numbers, and classes with attendance and completions generated in bulk (issue 14)."""
from __future__ import annotations

import time
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark
from app.certificates.models import Completion, CompletionSkill
from app.classes.models import Class, ClassSession, Enrolment
from app.demo import services as demo
from app.extensions import db
from app.indicators import Period
from app.people import breakdowns
from app.people.models import Person
from app.reports import demo as reports_demo
from app.reports import figures, services, writing
from app.reports.models import Denominator, Report, ReportingUnit, ReportSettings
from app.vietnam import local_today


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_generated_classes_give_ten_marks_per_learner_and_completions_with_their_skills(ctx: Flask,
                                                                                        curriculum: Any) -> None:
    commune = demo.load()
    before = db.session.scalar(select(func.max(Person.id)))
    demo.generate_learners(commune, 600)
    added = list(db.session.scalars(select(Person.id).where(Person.id > before)))
    today = local_today()
    made = demo.generate_classes(commune, added, today=today)
    assert made["enrolments"] == 600 and made["classes"] >= 600 // demo.CLASS_SIZE
    assert made["marks"] >= 600 * 8  # ten sessions a class; those still to come are not marked
    years = {c.starts_on.year for c in db.session.scalars(select(Class).where(Class.title.like("%khóa%")))}
    assert years == {today.year - 1, today.year}
    late = db.session.scalar(select(func.count()).select_from(AttendanceMark).join(
        ClassSession, ClassSession.id == AttendanceMark.session_id).where(ClassSession.date > today))
    assert late == 0
    completions = db.session.scalars(select(Completion).where(Completion.person_id.in_(added))).all()
    assert completions and all(c.status == "confirmed" and c.confirmed_at for c in completions)
    rows = {(r.completion_id, r.skill) for r in db.session.scalars(select(CompletionSkill))}
    assert all((c.id, s) in rows for c in completions for s in c.skills)


def test_the_demo_commune_has_its_numbers_and_reports(ctx: Flask, curriculum: Any) -> None:
    started = time.perf_counter()
    commune = demo.load()
    assert reports_demo.add_reports in demo.STEPS
    today = local_today()
    assert _count(Denominator) >= 2 * 3 * 5  # two years, three villages, five populations at least
    for village in commune.villages:
        known = breakdowns.known_population(commune.id, village.id, today.year)
        entered = {d.kind: d.value for d in services.populations(commune, today.year) if d.village_id == village.id}
        assert all(entered[kind] >= n for kind, n in known.items() if n)
    tasks = services.tasks(commune, today.year)
    assert 6 <= len(tasks) <= 8 and sum(services.overdue(t, today) for t in tasks) == 1
    names = {u.name for u in writing.units(commune.id)}
    assert names == {v.name for v in commune.villages} | {reports_demo.YOUTH_UNION}
    settings = db.session.get(ReportSettings, commune.id)
    assert settings is not None and settings.recipient == "UBND thành phố Hải Phòng" and settings.signer_name
    submitted = db.session.scalar(select(Report).where(Report.status == "submitted"))
    assert submitted is not None and submitted.unit_id is not None and submitted.quarter and submitted.figures
    draft = writing.latest(commune.id, None, Period(today.year))
    assert draft is not None and draft.status == "draft" and draft.sections["intro"]
    table = {f.indicator.code: f for f in figures.figures(commune.id, Period(today.year))[figures.ALL]}
    assert table["classes_held"].previous and table["learners_trained"].previous
    assert table["households_informed"].value and table["households_informed"].previous
    assert table["basic_skills"].target == 90.0 and not table["basic_skills"].target_is_plan  # its own target
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) > 0
    assert time.perf_counter() - started < 30  # the whole demo; the reports step itself is a small part


def test_a_bulk_load_raises_the_populations_above_the_people_added(ctx: Flask) -> None:
    commune = demo.load()
    demo.generate_learners(commune, 900)
    for step in demo.AFTER_BULK:
        step(commune)
    year = local_today().year
    for village in commune.villages:
        known = breakdowns.known_population(commune.id, village.id, year)
        entered = {d.kind: d.value for d in services.populations(commune, year) if d.village_id == village.id}
        assert entered["adults"] >= known["adults"] > 200
    assert _count(ReportingUnit) == 4
    assert len({p.village_id for p in db.session.scalars(select(Person).order_by(Person.id.desc()).limit(9))}) == 3
