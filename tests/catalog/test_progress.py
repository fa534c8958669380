"""Where a learner continues ("Học tiếp"), module progress, the module of the day, and "Buổi tới"."""
from __future__ import annotations

import datetime as dt
from typing import Any

from app import vietnam
from app.catalog import progress
from app.catalog import services as catalog
from app.classes import enrolment, queries, sessions
from app.extensions import db, utcnow
from app.quizzes.models import Attempt
from app.vietnam import VIETNAM
from tests import factories
from tests.statements import counting


def _module(code: str) -> Any:
    return catalog.module_by_code(code)


def _read_all(person: Any, code: str, *, but_last: int = 0) -> None:
    lessons = _module(code).current.lessons
    for lesson in lessons[:len(lessons) - but_last]:
        catalog.mark_read(person.id, lesson)


def _pass(person: Any, code: str) -> None:
    module = _module(code)
    db.session.add(Attempt(person_id=person.id, commune_id=person.commune_id, module_id=module.id,
                           module_version_id=module.current_version_id, status="submitted", question_ids=[],
                           answer_orders={}, settings={}, score=1.0, passed=True, submitted_at=utcnow()))
    db.session.flush()


def _learner_in_class(*codes: str, **options: Any) -> tuple[Any, Any]:
    commune = factories.commune()
    klass = factories.school_class(commune, modules=tuple(_module(c) for c in codes), **options)
    learner = factories.person(commune, name="Nguyễn Thị Hương", birth_year=1950)
    enrolment.enrol(klass, learner, source="staff")
    return klass, learner



def test_next_step_is_the_first_unread_lesson_in_the_class_teaching_order(curriculum) -> None:
    _klass, learner = _learner_in_class("NCT-05", "NCT-01")
    step = progress.next_step(learner)
    assert step.kind == "lesson" and step.module.code == "NCT-05"
    assert step.lesson.slug == _module("NCT-05").current.lessons[0].slug
    catalog.mark_read(learner.id, _module("NCT-05").current.lessons[0])
    assert progress.next_step(learner).lesson.slug == _module("NCT-05").current.lessons[1].slug


def test_when_a_module_is_read_the_next_class_module_comes_before_any_quiz(curriculum) -> None:
    _klass, learner = _learner_in_class("NCT-05", "NCT-01")
    _read_all(learner, "NCT-05")
    step = progress.next_step(learner)
    assert (step.kind, step.module.code, step.lesson.slug) == ("lesson", "NCT-01",
                                                               _module("NCT-01").current.lessons[0].slug)


def test_when_every_lesson_is_read_the_next_step_is_the_first_quiz_not_passed(curriculum) -> None:
    klass, learner = _learner_in_class("NCT-05", "NCT-01")
    _read_all(learner, "NCT-05")
    _read_all(learner, "NCT-01")
    step = progress.next_step(learner, klass=klass)
    assert (step.kind, step.module.code) == ("quiz", "NCT-05")
    _pass(learner, "NCT-05")
    assert progress.next_step(learner, klass=klass).module.code == "NCT-01"


def test_the_class_quizzes_come_before_the_track_lessons(curriculum) -> None:
    _klass, learner = _learner_in_class("NCT-05")
    _read_all(learner, "NCT-05")
    step = progress.next_step(learner)
    assert (step.kind, step.module.code) == ("quiz", "NCT-05")


def test_when_the_class_is_done_the_tracks_come_next_and_then_all_is_done(curriculum) -> None:
    klass, learner = _learner_in_class("NCT-05")
    _read_all(learner, "NCT-05")
    _pass(learner, "NCT-05")
    assert progress.next_step(learner, klass=klass).kind == "done"  # within the class: all done
    step = progress.next_step(learner)  # on the home page the learner's track goes on
    assert step.kind == "lesson" and step.module.code == "NCT-01"
    for code in ("NCT-01", "NCT-06", "4T-02"):
        _read_all(learner, code)
        _pass(learner, code)
    assert progress.next_step(learner).kind == "done"


def test_without_a_class_the_track_for_the_learners_audience_leads(curriculum) -> None:
    learner = factories.person(factories.commune(), birth_year=1950)
    step = progress.next_step(learner)
    assert step.kind == "lesson" and step.module.code == "NCT-01"  # the sample track's first module


def test_todays_session_module_comes_first_and_is_the_module_of_the_day(curriculum) -> None:
    klass, learner = _learner_in_class("NCT-05", "NCT-01")
    today = vietnam.local_today()
    sessions.add_session(klass, on=today, start=dt.time(8), end=dt.time(10), venue=klass.venue,
                         module=_module("NCT-01"))
    views, step = progress.learning(learner)
    view = views[klass.id]
    assert view.current_module_id == _module("NCT-01").id and view.current_is_today
    assert step.module.code == "NCT-01"


def test_without_a_session_today_the_latest_module_taught_is_current(curriculum) -> None:
    start = vietnam.local_today() - dt.timedelta(days=14)
    klass, learner = _learner_in_class("NCT-05", "NCT-01", starts_on=start)
    sessions.add_session(klass, on=start, start=dt.time(8), end=dt.time(10), venue=klass.venue,
                         module=_module("NCT-01"))
    view = progress.class_view(learner, klass)
    assert view.current_module_id == _module("NCT-01").id and not view.current_is_today
    assert progress.next_step(learner).module.code == "NCT-05"  # only today's module jumps the queue


def test_progress_counts_lessons_read_and_quizzes_passed(curriculum) -> None:
    klass, learner = _learner_in_class("NCT-05", "NCT-01")
    _read_all(learner, "NCT-01", but_last=2)
    _pass(learner, "NCT-05")
    found = progress.class_view(learner, klass).progress
    nct01, nct05 = found[_module("NCT-01").id], found[_module("NCT-05").id]
    assert (nct01.read, nct01.total) == (len(_module("NCT-01").current.lessons) - 2,
                                         len(_module("NCT-01").current.lessons))
    assert nct01.has_quiz and not nct01.passed and not nct01.complete
    assert nct05.passed and nct05.read == 0


def test_staff_see_the_module_of_the_day_without_progress(curriculum) -> None:
    klass, _learner = _learner_in_class("NCT-05")
    instructor = klass.instructors[0]
    view = progress.class_view(instructor, klass)
    assert view.current_module_id == _module("NCT-05").id and view.progress == {} and view.next is None


def test_next_step_takes_a_fixed_handful_of_queries(curriculum) -> None:
    klass, learner = _learner_in_class("NCT-05", "NCT-01", "NCT-06")
    other = factories.school_class(klass.commune, title="Lớp thứ hai", modules=(_module("4T-02"),))
    enrolment.enrol(other, learner, source="staff")
    for code in ("NCT-05", "NCT-01"):
        _read_all(learner, code)
    db.session.commit()
    db.session.expire_all()
    learner = db.session.get(type(learner), learner.id)
    with counting() as statements:
        step = progress.next_step(learner)
    assert step.module.code == "NCT-06"
    # classes, their modules, sessions, the person's audiences (2), tracks, track modules, lessons, reads,
    # quizzes, passes: the same number for one module or twenty.
    assert len(statements) <= 11, statements


def _vn(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VIETNAM)


def test_a_session_that_ended_earlier_today_is_not_the_next_session(curriculum) -> None:
    klass, learner = _learner_in_class("NCT-05")
    today = vietnam.local_today()
    sessions.add_session(klass, on=today, start=dt.time(8), end=dt.time(10), venue=klass.venue)
    later = sessions.add_session(klass, on=today + dt.timedelta(days=7), start=dt.time(8), end=dt.time(10),
                                 venue=klass.venue)
    mine = queries.my_classes(learner)
    progress.skip_ended_sessions(mine, _vn(today, 10, 1))
    assert mine[0].next_session.id == later.id


def test_a_session_still_running_today_stays_the_next_session(curriculum) -> None:
    klass, learner = _learner_in_class("NCT-05")
    today = vietnam.local_today()
    now_on = sessions.add_session(klass, on=today, start=dt.time(8), end=dt.time(10), venue=klass.venue)
    mine = queries.my_classes(learner)
    progress.skip_ended_sessions(mine, _vn(today, 9, 59))
    assert mine[0].next_session.id == now_on.id


def test_with_nothing_after_an_ended_session_there_is_no_next_session(curriculum) -> None:
    klass, learner = _learner_in_class("NCT-05", weeks=0)
    today = vietnam.local_today()
    sessions.add_session(klass, on=today, start=dt.time(8), end=dt.time(10), venue=klass.venue)
    mine = queries.my_classes(learner)
    progress.skip_ended_sessions(mine, _vn(today, 11))
    assert mine[0].next_session is None
