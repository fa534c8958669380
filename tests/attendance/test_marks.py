"""Marking attendance: status changes with history, idempotent batches, the later device time wins, concurrency."""
from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.attendance import marks
from app.attendance.models import AttendanceChange, AttendanceMark
from app.classes import enrolment as enrolments
from app.classes import sessions
from app.classes.models import ClassSession
from app.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.policy import Role
from tests import factories


@pytest.fixture
def setting(ctx: Flask):
    commune = factories.commune()
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    nam = factories.person(commune, name="Hoàng Văn Nam", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, capacity=10, instructors=(hung,), assistants=(nam,))
    session = factories.class_session(klass)
    learners = factories.enrol_learners(klass, 3)
    db.session.commit()
    return klass, session, learners, hung, nam


def cid() -> str:
    return f"test-{uuid.uuid4().hex}"


def at(session: ClassSession, minutes: float) -> dt.datetime:
    """A moment relative to the session's start, in UTC."""
    return (session.starts_at + dt.timedelta(minutes=minutes)).astimezone(dt.UTC)


def history(session: ClassSession, enrolment_id: int | None = None) -> list[AttendanceChange]:
    stmt = select(AttendanceChange).where(AttendanceChange.session_id == session.id)
    if enrolment_id is not None:
        stmt = stmt.where(AttendanceChange.enrolment_id == enrolment_id)
    return list(db.session.scalars(stmt.order_by(AttendanceChange.effective_time, AttendanceChange.id)))


def status_of(session: ClassSession, enrolment_id: int) -> str | None:
    return db.session.scalar(select(AttendanceMark.status).where(AttendanceMark.session_id == session.id,
                                                                 AttendanceMark.enrolment_id == enrolment_id))


# --- status changes and their history ---------------------------------------------------------

def test_a_change_records_who_changed_what_when_and_from_which_value(setting) -> None:
    _k, session, (huong, *_), hung, nam = setting
    marks.record(session, [marks.Write(huong.id, "present", cid(), at(session, 1))], actor=hung, now=at(session, 1))
    marks.record(session, [marks.Write(huong.id, "late", cid(), at(session, 12))], actor=nam, now=at(session, 12))
    db.session.commit()
    assert status_of(session, huong.id) == "late"
    first, second = history(session, huong.id)
    assert (first.old_status, first.new_status, first.by_id, first.applied) == (None, "present", hung.id, True)
    assert (second.old_status, second.new_status, second.by_id, second.applied) == ("present", "late", nam.id, True)
    assert second.effective_time == at(session, 12) and second.server_time == at(session, 12)
    assert [c.source for c in marks.history(session)] == ["tap", "tap"]


def test_sending_the_same_batch_twice_changes_nothing(setting) -> None:
    _k, session, learners, hung, _n = setting
    batch = [marks.Write(e.id, "present", cid(), at(session, 2), "everyone") for e in learners]
    first = marks.record(session, batch, actor=hung, now=at(session, 3))
    db.session.commit()
    again = marks.record(session, batch, actor=hung, now=at(session, 9))
    db.session.commit()
    assert first.stored == again.stored == [w.client_id for w in batch]
    assert (first.applied, again.applied, again.replayed) == (3, 0, 3)
    assert len(history(session)) == 3
    assert {c.server_time for c in history(session)} == {at(session, 3)}  # nothing was written the second time


def test_a_copy_of_an_old_batch_arriving_late_does_not_undo_newer_marks(setting) -> None:
    _k, session, (huong, *_), hung, _n = setting
    old = [marks.Write(huong.id, "absent", cid(), at(session, 1))]
    marks.record(session, old, actor=hung, now=at(session, 1))
    marks.record(session, [marks.Write(huong.id, "present", cid(), at(session, 15))], actor=hung, now=at(session, 15))
    marks.record(session, old, actor=hung, now=at(session, 30))  # a retry after a timeout, long after
    db.session.commit()
    assert status_of(session, huong.id) == "present"
    assert len(history(session)) == 2


def test_a_batch_with_the_same_client_id_twice_stores_it_once(setting) -> None:
    _k, session, (huong, *_), hung, _n = setting
    write = marks.Write(huong.id, "present", cid(), at(session, 1))
    outcome = marks.record(session, [write, write], actor=hung, now=at(session, 1))
    assert outcome.stored == [write.client_id, write.client_id] and outcome.applied == 1
    assert len(history(session)) == 1


# --- two devices, device time -----------------------------------------------------------------

def test_the_later_device_time_wins_whatever_order_the_marks_arrive_in(setting) -> None:
    _k, session, (huong, binh, _t), hung, nam = setting
    # Huong: the assistant's later mark arrives first, the instructor's earlier one (offline) after it.
    marks.record(session, [marks.Write(huong.id, "late", cid(), at(session, 10))], actor=nam, now=at(session, 11))
    outcome = marks.record(session, [marks.Write(huong.id, "absent", cid(), at(session, 5))], actor=hung,
                           now=at(session, 40))
    # Binh: the same two marks arrive in time order.
    marks.record(session, [marks.Write(binh.id, "absent", cid(), at(session, 5))], actor=hung, now=at(session, 6))
    marks.record(session, [marks.Write(binh.id, "late", cid(), at(session, 10))], actor=nam, now=at(session, 11))
    db.session.commit()
    assert outcome.superseded == 1 and outcome.stored
    assert status_of(session, huong.id) == status_of(session, binh.id) == "late"
    kept = history(session, huong.id)
    assert [(c.new_status, c.applied) for c in kept] == [("absent", False), ("late", True)]
    assert kept[0].old_status == "late"  # what was there when the older mark arrived
    assert len(history(session, binh.id)) == 2


def test_a_device_clock_far_ahead_counts_as_the_server_time(setting) -> None:
    _k, session, (huong, *_), hung, nam = setting
    now = at(session, 5)
    marks.record(session, [marks.Write(huong.id, "absent", cid(), now + dt.timedelta(hours=3))], actor=hung, now=now)
    mark = db.session.scalar(select(AttendanceMark).where(AttendanceMark.enrolment_id == huong.id))
    assert mark.effective_time == now
    change = history(session, huong.id)[0]
    assert change.device_time == now + dt.timedelta(hours=3) and change.effective_time == now
    # A correct device marking a minute later wins, as it should; with its clock trusted, the wrong one would.
    marks.record(session, [marks.Write(huong.id, "present", cid(), now + dt.timedelta(minutes=1))], actor=nam,
                 now=now + dt.timedelta(minutes=1))
    assert status_of(session, huong.id) == "present"


def test_a_device_clock_a_little_ahead_is_trusted(setting) -> None:
    _k, session, (huong, *_), hung, _n = setting
    now = at(session, 5)
    marks.record(session, [marks.Write(huong.id, "present", cid(), now + dt.timedelta(minutes=4))], actor=hung, now=now)
    assert history(session, huong.id)[0].effective_time == now + dt.timedelta(minutes=4)
    assert marks.effective_time(None, now) == now


def test_a_device_clock_reset_to_the_unix_epoch_keeps_the_mark_at_the_server_time(setting) -> None:
    _k, session, (huong, binh, _t), hung, _n = setting
    now = at(session, 5)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    outcome = marks.record(session, [marks.Write(huong.id, "present", cid(), epoch)], actor=hung, now=now)
    assert outcome.applied == 1 and status_of(session, huong.id) == "present"  # stored, not dropped as a placeholder
    change = history(session, huong.id)[0]
    assert change.device_time.replace(tzinfo=dt.UTC) == epoch and change.effective_time.replace(tzinfo=dt.UTC) == now
    # A queue that waited offline for days is still ordered by the device's clock.
    marks.record(session, [marks.Write(binh.id, "late", cid(), now - dt.timedelta(days=3))], actor=hung, now=now)
    assert history(session, binh.id)[0].effective_time.replace(tzinfo=dt.UTC) == now - dt.timedelta(days=3)


# --- what is refused ----------------------------------------------------------------------------

def test_marks_are_refused_with_a_reason_and_the_rest_of_the_batch_is_kept(setting) -> None:
    klass, session, (huong, binh, tuyet), hung, _n = setting
    other = factories.school_class(klass.commune, title="Lớp khác", capacity=5, instructors=(hung,), status="planned")
    stranger = enrolments.enrol(other, factories.person(klass.commune, name="Người Lạ"), source="staff")
    enrolments.withdraw(tuyet)
    writes = [marks.Write(huong.id, "present", cid(), at(session, 1)),
              marks.Write(binh.id, "asleep", cid(), at(session, 1)),
              marks.Write(stranger.id, "present", cid(), at(session, 1)),
              marks.Write(tuyet.id, "present", cid(), at(session, 1))]
    outcome = marks.record(session, writes, actor=hung, now=at(session, 1))
    assert outcome.stored == [writes[0].client_id]
    assert [f["client_id"] for f in outcome.failed] == [w.client_id for w in writes[1:]]
    assert "không hợp lệ" in outcome.failed[0]["message"] and "không thuộc lớp" in outcome.failed[1]["message"]
    assert "không còn trong danh sách" in outcome.failed[2]["message"]


def test_a_cancelled_session_takes_no_marks(setting) -> None:
    _k, session, (huong, *_), hung, _n = setting
    sessions.cancel_session(session, reason="Mưa bão", actor=hung)
    with pytest.raises(DomainError, match="đã bị hủy"):
        marks.mark(session, huong, "present", actor=hung, now=at(session, 1))


def test_before_the_session_day_only_excused_can_be_marked(setting) -> None:
    klass, _s, (huong, *_), hung, _n = setting
    later = factories.class_session(klass, on=klass.starts_on + dt.timedelta(days=7))
    the_day_before = at(later, -24 * 60)
    with pytest.raises(DomainError, match="chưa diễn ra"):
        marks.mark(later, huong, "absent", actor=hung, now=the_day_before)
    marks.mark(later, huong, "excused", actor=hung, now=the_day_before)
    assert status_of(later, huong.id) == "excused"


# --- everyone present, paper --------------------------------------------------------------------

def test_everyone_present_keeps_the_marks_already_made(setting) -> None:
    _k, session, (huong, binh, tuyet), hung, _n = setting
    marks.mark(session, binh, "excused", actor=hung, now=at(session, -30))
    outcome = marks.everyone_present(session, actor=hung, now=at(session, 1))
    assert outcome.applied == 2
    assert {e.id: status_of(session, e.id) for e in (huong, binh, tuyet)} == {
        huong.id: "present", binh.id: "excused", tuyet.id: "present"}
    assert {c.source for c in history(session) if c.new_status == "present"} == {"everyone"}


def test_entering_a_paper_sheet_writes_only_what_changed(setting) -> None:
    _k, session, (huong, binh, tuyet), hung, _n = setting
    marks.everyone_present(session, actor=hung, now=at(session, 1))
    outcome = marks.apply_sheet(session, {huong.id: "present", binh.id: "absent", tuyet.id: "late"}, actor=hung,
                                now=at(session, 200))
    assert outcome.applied == 2
    assert [c.source for c in history(session)][-2:] == ["paper", "paper"]
    again = marks.apply_sheet(session, {huong.id: "present", binh.id: "absent", tuyet.id: "late"}, actor=hung,
                              now=at(session, 210))
    assert again.applied == 0 and len(history(session)) == 5


def test_counts_cover_the_class_list(setting) -> None:
    _k, session, (huong, binh, _t), hung, _n = setting
    marks.mark(session, huong, "present", actor=hung, now=at(session, 1))
    marks.mark(session, binh, "late", actor=hung, now=at(session, 12))
    found = marks.counts(marks.learners(session), marks.current(session))
    assert found == {"present": 1, "late": 1, "absent": 0, "excused": 0, "unmarked": 1}


# --- concurrency: real transactions on the test database ----------------------------------------

def _ids(setting) -> dict[str, int]:
    _k, session, (huong, *_), hung, nam = setting
    ids = {"session": session.id, "huong": huong.id, "hung": hung.id, "nam": nam.id}
    db.session.remove()
    return ids


def _run_together(app: Flask, first, second) -> list[Exception]:
    """Run `first` (which holds its transaction open for a moment) and then `second`, each in its own context."""
    holding, errors = threading.Event(), []

    def run(work, hold: bool) -> None:
        try:
            with app.app_context():
                work()
                if hold:
                    holding.set()
                    time.sleep(0.5)  # the other device's request now waits on this one
                db.session.commit()
                db.session.remove()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
            holding.set()

    a = threading.Thread(target=run, args=(first, True))
    a.start()
    assert holding.wait(10)
    b = threading.Thread(target=run, args=(second, False))
    b.start()
    a.join(20)
    b.join(20)
    return errors


@pytest.mark.parametrize("later_commits_first", [True, False])
def test_two_devices_marking_the_same_learner_at_once_keep_the_later_mark_and_both_writes(
        app: Flask, setting, later_commits_first: bool) -> None:
    ids = _ids(setting)
    start = setting[1].starts_at

    def device(person: str, status: str, minutes: int):
        def work() -> None:
            session = db.session.get(ClassSession, ids["session"])
            write = marks.Write(ids["huong"], status, cid(), (start + dt.timedelta(minutes=minutes)).astimezone(dt.UTC))
            marks.record(session, [write], actor=db.session.get(Person, ids[person]),
                         now=(start + dt.timedelta(minutes=20)).astimezone(dt.UTC))
        return work

    later, earlier = device("nam", "late", 11), device("hung", "absent", 9)
    errors = _run_together(app, *((later, earlier) if later_commits_first else (earlier, later)))
    assert not errors, errors
    with app.app_context():
        session = db.session.get(ClassSession, ids["session"])
        assert status_of(session, ids["huong"]) == "late"
        assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 1
        kept = history(session, ids["huong"])
        assert sorted((c.new_status, c.applied) for c in kept) == [("absent", not later_commits_first), ("late", True)]
        db.session.remove()


def test_a_batch_sent_again_while_the_first_copy_is_still_saving_is_stored_once(app: Flask, setting) -> None:
    ids = _ids(setting)
    start = setting[1].starts_at
    batch = [marks.Write(ids["huong"], "present", cid(), (start + dt.timedelta(minutes=2)).astimezone(dt.UTC))]
    results: list[marks.Outcome] = []

    def send() -> None:
        session = db.session.get(ClassSession, ids["session"])
        results.append(marks.record(session, batch, actor=db.session.get(Person, ids["hung"]),
                                    now=(start + dt.timedelta(minutes=3)).astimezone(dt.UTC)))

    errors = _run_together(app, send, send)
    assert not errors, errors
    assert [r.stored for r in results] == [[batch[0].client_id]] * 2
    assert sorted(r.applied for r in results) == [0, 1]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AttendanceChange)) == 1
        db.session.remove()
