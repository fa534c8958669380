"""Counts for the class page, the class list and the officer's home: the same rule as the completion page, counted
in SQL, and a fixed number of statements."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from app import settings
from app.attendance import marks
from app.catalog import services as catalog
from app.certificates import completion, progress
from app.classes import enrolment, sessions
from app.classes.models import Class, ClassModule, Enrolment
from app.extensions import db, utcnow
from app.quizzes import practical
from app.vietnam import local_today
from tests import factories
from tests.certificates.conftest import pass_module
from tests.statements import counting

RULE_VARIANTS = [
    {},
    {"attendance_percent": 25},
    {"attendance_percent": 100},
    {"attendance_percent": 0},
    {"require_assessment": False},
    {"require_practical": False},
    {"require_assessment": False, "require_practical": False},
    {"require_assessment": False, "require_practical": False, "attendance_percent": 25},
]



def _from_standings(klass: Class, rules: dict[str, Any]) -> completion.Tally:
    standings = completion.class_standing(klass, rules)
    return completion.Tally(eligible=sum(s.eligible for s in standings), confirmed=sum(s.confirmed for s in standings),
                            waiting=sum(s.eligible and not s.confirmed for s in standings))


def _assert_same_as_standings(klass: Class) -> None:
    base = completion.rules_for(klass.commune_id)
    for variant in RULE_VARIANTS:
        rules = replace(base, **variant)
        assert completion.tallies([klass.id], {klass.commune_id: rules})[klass.id] == _from_standings(klass, rules), \
            variant


def test_tallies_count_what_the_completion_page_shows(finished) -> None:
    klass = finished["class"]
    assert completion.tallies([klass.id], {klass.commune_id: completion.rules_for(klass.commune_id)}) == {
        klass.id: completion.Tally(eligible=2, confirmed=0, waiting=2)}
    _assert_same_as_standings(klass)


@pytest.mark.parametrize("change", ["untick", "withdraw", "confirm", "second module", "no modules"])
def test_tallies_follow_the_rule_as_the_class_changes(finished, change: str) -> None:
    klass, module = finished["class"], finished["module"]
    hương, bình = finished["learners"][:2]
    if change == "untick":
        practical.untick(hương, module, module.current.tasks[0].code)
    elif change == "withdraw":
        db.session.scalars(select(Enrolment).where(Enrolment.class_id == klass.id,
                                                   Enrolment.person_id == bình.id)).one().status = "withdrawn"
    elif change == "confirm":
        completion.confirm(klass, completion.class_standing(klass, completion.rules_for(klass.commune_id)),
                           actor=None, now=utcnow(), only={hương.id})
    elif change == "second module":  # taught but not passed nor practised by anyone
        klass.modules.append(ClassModule(module=catalog.module_by_code("NCT-01"), position=1))
    else:
        klass.modules.clear()
    db.session.flush()
    db.session.expire_all()
    _assert_same_as_standings(db.session.get(Class, klass.id))


def test_a_confirmed_learner_no_longer_waits(finished) -> None:
    klass = finished["class"]
    completion.confirm(klass, completion.class_standing(klass, completion.rules_for(klass.commune_id)),
                       actor=None, now=utcnow())
    counts = progress.class_counts(klass)
    assert (counts.eligible, counts.confirmed, counts.waiting, counts.issued, counts.to_issue) == (2, 2, 0, 0, 2)
    _assert_same_as_standings(klass)


def test_tallies_of_several_classes_use_each_communes_rules(finished) -> None:
    klass, module = finished["class"], finished["module"]
    other = factories.commune(factories.COMMUNE_CODES[1])
    start = local_today() - dt.timedelta(weeks=2)
    second = factories.school_class(other, modules=(module,), starts_on=start, weeks=4)
    session = sessions.add_session(second, on=start, start=dt.time(8), end=dt.time(10), venue=second.venue,
                                   module=module)
    learners = [factories.person(other, name=name) for name in ("Phạm Văn Cường", "Võ Thị Mai")]
    for learner in learners:
        enrolment.enrol(second, learner, source="staff")
        row = db.session.scalars(select(Enrolment).where(Enrolment.class_id == second.id,
                                                         Enrolment.person_id == learner.id)).one()
        marks.mark(session, row, "present", actor=None, now=utcnow())
    pass_module(learners[0], module)
    practical.untick(learners[0], module, module.current.tasks[0].code)
    completion.save_rules(klass.commune_id, {"attendance_percent": 25}, None)
    completion.save_rules(other.id, {"require_practical": False}, None)
    db.session.flush()
    rules = completion.rules_by_commune({klass.commune_id, other.id})
    assert rules[klass.commune_id].attendance_percent == 25 and rules[klass.commune_id].require_practical
    assert rules[other.id].attendance_percent == 70 and not rules[other.id].require_practical
    found = completion.tallies([klass.id, second.id], rules)
    assert found[klass.id] == completion.Tally(eligible=3, confirmed=0, waiting=3)
    assert found[second.id] == completion.Tally(eligible=1, confirmed=0, waiting=1)
    assert found == {k.id: _from_standings(k, rules[k.commune_id]) for k in (klass, second)}


def test_class_counts_and_waiting_classes_cost_a_fixed_number_of_statements(finished) -> None:
    klass, module = finished["class"], finished["module"]
    where = Class.commune_id == klass.commune_id
    assert progress.waiting_classes(where) == [(klass, 2)]

    def measure() -> tuple[int, int]:
        db.session.expire_all()
        settings.forget()  # as a new request would: the rules are read once per request
        loaded = db.session.get(Class, klass.id)
        with counting() as counts:
            progress.class_counts(loaded)
        settings.forget()
        with counting() as waiting:
            progress.waiting_classes(where)
        return len(counts), len(waiting)

    one = measure()
    for n in range(3):
        extra = factories.school_class(finished["commune"], title=f"Lớp {n}", modules=(module,))
        for learner in finished["learners"]:
            enrolment.enrol(extra, learner, source="staff")
    db.session.flush()
    assert measure() == one == (3, 3)  # rules, the aggregate, certificates; classes, rules, the aggregate


def test_list_counts_in_one_statement(finished) -> None:
    klass = finished["class"]
    completion.confirm(klass, completion.class_standing(klass, completion.rules_for(klass.commune_id)),
                       actor=None, now=utcnow())
    empty = factories.school_class(finished["commune"], modules=(finished["module"],))
    db.session.flush()
    with counting() as statements:
        found = progress.list_counts([klass.id, empty.id])
    assert len(statements) == 1
    assert found == {klass.id: {"completed": 2, "certified": 0}, empty.id: {"completed": 0, "certified": 0}}
    assert progress.list_counts([]) == {}
