"""What pages read about classes in few statements: the class list's figures, waiting-list places, a learner's
classes and the home panels' shared reads."""
from __future__ import annotations

import datetime as dt

from flask import Flask

from app import vietnam
from app.classes import enrolment, queries, sessions
from app.extensions import db
from app.vietnam import VIETNAM
from tests import factories


def _full_class_with_queue(commune, *, title: str, waiting: int):  # noqa: ANN001, ANN202
    klass = factories.school_class(commune, title=title, capacity=1)
    places = [enrolment.enrol(klass, factories.person(commune, name=f"Học viên {title} {i}"), source="staff",
                              consent_method="paper") for i in range(waiting + 1)]
    return klass, places


def test_list_figures_match_the_separate_counts(ctx) -> None:
    commune = factories.commune()
    first, _ = _full_class_with_queue(commune, title="Lớp A", waiting=2)
    second, _ = _full_class_with_queue(commune, title="Lớp B", waiting=0)
    factories.school_class(commune, title="Lớp dự kiến", status="planned")
    factories.class_session(first)
    cancelled = factories.class_session(first, on=first.starts_on + dt.timedelta(days=7))
    sessions.cancel_session(cancelled, reason="Mưa bão")
    factories.class_session(second, start=dt.time(14), end=dt.time(16))
    db.session.flush()
    ids = [first.id, second.id]

    figures = queries.list_figures(commune.id, ids)

    assert figures.enrolment == enrolment.counts(ids) == {first.id: {"enrolled": 1, "waitlisted": 2},
                                                          second.id: {"enrolled": 1, "waitlisted": 0}}
    assert figures.sessions == queries.session_counts(ids) == {first.id: 1, second.id: 1}  # not the cancelled one
    assert figures.statuses == queries.status_counts(commune.id)
    assert figures.statuses["open"] == 2 and figures.statuses["planned"] == 1


def test_list_figures_of_no_classes_still_count_the_statuses(ctx) -> None:
    commune = factories.commune()
    factories.school_class(commune)
    figures = queries.list_figures(commune.id, [])
    assert figures.enrolment == {} and figures.sessions == {} and figures.statuses["open"] == 1


def test_waitlist_positions_follow_the_queue_order_in_one_query(ctx) -> None:
    commune = factories.commune()
    _, places = _full_class_with_queue(commune, title="Lớp A", waiting=3)
    _, others = _full_class_with_queue(commune, title="Lớp B", waiting=1)
    waiting = [p for p in places + others if p.status == "waitlisted"]

    found = enrolment.waitlist_positions(places + others)

    assert found == {p.id: enrolment.waitlist_position(p) for p in waiting}
    assert [found[p.id] for p in places[1:]] == [1, 2, 3] and found[others[1].id] == 1
    assert places[0].id not in found  # enrolled: no place in a queue


def test_my_classes_at_a_time_skips_a_session_that_has_ended(ctx) -> None:
    commune = factories.commune()
    klass = factories.school_class(commune)
    learner = factories.person(commune, name="Trần Thị Mai")
    enrolment.enrol(klass, learner, source="staff", consent_method="paper")
    today = vietnam.local_today()
    morning = sessions.add_session(klass, on=today, start=dt.time(8), end=dt.time(10), venue=klass.venue)
    later = sessions.add_session(klass, on=today + dt.timedelta(days=7), start=dt.time(8), end=dt.time(10),
                                 venue=klass.venue)
    db.session.flush()

    def next_at(hour: int, minute: int = 0) -> int:
        (mine,) = queries.my_classes(learner, now=dt.datetime.combine(today, dt.time(hour, minute), tzinfo=VIETNAM))
        return mine.next_session.id

    assert next_at(9, 59) == morning.id
    assert next_at(10, 1) == later.id
    (mine,) = queries.my_classes(learner)
    assert mine.next_session.id == morning.id and [s.id for s in mine.sessions] == [morning.id, later.id]


def test_the_home_panels_share_one_read_per_request_and_not_across_requests(app: Flask) -> None:
    with app.app_context():
        commune = factories.commune()
        learner = factories.person(commune, name="Trần Thị Mai")
        db.session.commit()
        # One app context, two requests (as in tests): the second request reads afresh.
        with app.test_request_context():
            first = queries.my_classes_once(learner)
            assert queries.my_classes_once(learner) is first
        klass = factories.school_class(commune)
        enrolment.enrol(klass, learner, source="staff", consent_method="paper")
        db.session.commit()
        with app.test_request_context():
            assert [m.enrolment.class_id for m in queries.my_classes_once(learner)] == [klass.id]
