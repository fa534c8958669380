"""Completion: the commune's rules decide who is eligible; officers confirm; basic digital skills status."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from app.certificates import completion
from app.certificates.models import Completion
from app.extensions import db, utcnow


def _standing(finished, **rules):
    values = replace(completion.rules_for(finished["commune"].id), **rules)
    return {s.person.full_name: s for s in completion.class_standing(finished["class"], values)}


def test_learners_who_attended_passed_and_practised_are_eligible(finished) -> None:
    standing = _standing(finished)
    assert standing["Nguyễn Thị Hương"].eligible and standing["Trần Văn Bình"].eligible
    missed = standing["Lê Thị Ánh Tuyết"]
    assert not missed.eligible and not missed.attendance_ok and missed.attendance.share == 0.25


def test_the_commune_sets_the_attendance_share(finished) -> None:
    assert _standing(finished, attendance_percent=25)["Lê Thị Ánh Tuyết"].eligible
    assert not _standing(finished, attendance_percent=30)["Lê Thị Ánh Tuyết"].eligible


def test_practical_checks_count_when_required(finished) -> None:
    from app.quizzes import practical

    hương = finished["learners"][0]
    practical.untick(hương, finished["module"], finished["module"].current.tasks[0].code)
    assert not _standing(finished)["Nguyễn Thị Hương"].eligible
    assert _standing(finished, require_practical=False)["Nguyễn Thị Hương"].eligible


def test_officer_confirms_everyone_eligible_in_one_step(finished) -> None:
    standings = completion.class_standing(finished["class"], completion.rules_for(finished["commune"].id))
    assert completion.confirm(finished["class"], standings, actor=finished["officer"], now=utcnow()) == 2
    rows = db.session.scalars(select(Completion)).all()
    assert {r.person_id for r in rows} == {p.id for p in finished["learners"][:2]}
    assert all(r.status == "confirmed" and r.confirmed_by_id == finished["officer"].id for r in rows)
    assert all(r.skills and r.framework_version_id for r in rows)


def test_automatic_confirmation_needs_no_officer(finished) -> None:
    assert completion.auto_confirm(finished["class"], now=utcnow()) == 0  # default: an officer confirms
    completion.save_rules(finished["commune"].id, {"confirmation": "auto"}, None)
    assert completion.auto_confirm(finished["class"], now=utcnow()) == 2


def test_basic_digital_skills_follow_the_framework_definition(finished) -> None:
    learner = finished["learners"][0]
    before = completion.basic_status(learner.id)
    assert not before.completed and "5.2" in before.missing
    standings = completion.class_standing(finished["class"], completion.rules_for(finished["commune"].id))
    completion.confirm(finished["class"], standings, actor=None, now=utcnow())
    after = completion.basic_status(learner.id)
    assert "5.2" in after.shown and "5.2" not in after.missing and not after.completed
