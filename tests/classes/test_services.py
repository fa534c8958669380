"""Rules for classes and sessions: clashes, impossible schedules, moves with history, weekly series."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app import vietnam
from app.classes import services, sessions
from app.classes.models import ClassSession, SessionChange
from app.errors import DomainError
from app.extensions import db
from app.policy import Role
from tests import factories

T8, T10, T9, T11 = dt.time(8), dt.time(10), dt.time(9), dt.time(11)


@pytest.fixture
def place(ctx):
    commune = factories.commune()
    village = factories.village(commune, "Thôn Đông")
    hall = factories.venue(commune, "Nhà văn hóa thôn Đông", capacity=30, in_village=village)
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    return commune, village, hall, hung


def _day(klass, weeks: int = 1) -> dt.date:
    return klass.starts_on + dt.timedelta(weeks=weeks)


def test_end_before_start_is_refused(place) -> None:
    commune, _v, hall, hung = place
    klass = factories.school_class(commune, at=hall, instructors=(hung,))
    with pytest.raises(DomainError, match="Giờ kết thúc \\(08:00\\) phải sau giờ bắt đầu \\(10:00\\)"):
        sessions.add_session(klass, on=_day(klass), start=T10, end=T8, venue=hall)
    with pytest.raises(DomainError, match="phải sau giờ bắt đầu"):
        sessions.add_session(klass, on=_day(klass), start=T8, end=T8, venue=hall)


def test_a_session_outside_the_class_dates_is_refused(place) -> None:
    commune, _v, hall, hung = place
    klass = factories.school_class(commune, at=hall, instructors=(hung,), weeks=4)
    late = klass.ends_on + dt.timedelta(days=1)
    with pytest.raises(DomainError, match=f"Ngày {late:%d/%m/%Y} nằm ngoài thời gian của lớp"):
        sessions.add_session(klass, on=late, start=T8, end=T10, venue=hall)
    with pytest.raises(DomainError, match="nằm ngoài thời gian"):
        sessions.add_session(klass, on=klass.starts_on - dt.timedelta(days=1), start=T8, end=T10, venue=hall)


def test_a_venue_booked_twice_is_refused_naming_the_other_class(place) -> None:
    commune, _v, hall, hung = place
    mai = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    first = factories.school_class(commune, title="Lớp điện thoại thôn Đông", at=hall, instructors=(hung,))
    second = factories.school_class(commune, title="Lớp 4T thôn Đông", at=hall, instructors=(mai,))
    on = _day(first)
    sessions.add_session(first, on=on, start=T8, end=T10, venue=hall)
    with pytest.raises(DomainError, match="Nhà văn hóa thôn Đông đã có lớp \"Lớp điện thoại thôn Đông\" lúc 08:00"):
        sessions.add_session(second, on=on, start=T9, end=T11, venue=hall)
    # Back to back is fine: one class ends as the next begins.
    assert sessions.add_session(second, on=on, start=T10, end=T11, venue=hall).id


def test_an_instructor_booked_twice_across_classes_is_refused(place) -> None:
    commune, village, hall, hung = place
    other_hall = factories.venue(commune, "Hội trường UBND xã", capacity=100)
    first = factories.school_class(commune, title="Lớp A", at=hall, instructors=(hung,))
    second = factories.school_class(commune, title="Lớp B", at=other_hall, instructors=(hung,))
    on = _day(first)
    sessions.add_session(first, on=on, start=T8, end=T10, venue=hall)
    with pytest.raises(DomainError, match="Nguyễn Văn Hùng đã dạy lớp \"Lớp A\" lúc 08:00–10:00"):
        sessions.add_session(second, on=on, start=T9, end=T11, venue=other_hall)


def test_an_assistant_counts_as_booked_too(place) -> None:
    commune, _v, hall, hung = place
    nam = factories.person(commune, name="Hoàng Văn Nam", role=Role.TEAM_MEMBER)
    first = factories.school_class(commune, title="Lớp A", at=hall, instructors=(hung,), assistants=(nam,))
    mai = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    second = factories.school_class(commune, title="Lớp B", at=factories.venue(commune, "Hội trường", capacity=50),
                                    instructors=(mai,), assistants=(nam,))
    sessions.add_session(first, on=_day(first), start=T8, end=T10, venue=hall)
    with pytest.raises(DomainError, match="Hoàng Văn Nam đã dạy lớp \"Lớp A\""):
        sessions.add_session(second, on=_day(first), start=T8, end=T10, venue=second.venue)


def test_cancelled_sessions_do_not_conflict(place) -> None:
    commune, _v, hall, hung = place
    first = factories.school_class(commune, title="Lớp A", at=hall, instructors=(hung,))
    second = factories.school_class(commune, title="Lớp B", at=hall, instructors=(hung,))
    session = sessions.add_session(first, on=_day(first), start=T8, end=T10, venue=hall)
    sessions.cancel_session(session, reason="Mất điện")
    assert sessions.add_session(second, on=_day(first), start=T8, end=T10, venue=hall).id
    # …and a cancelled session cannot come back into a slot that is now taken.
    with pytest.raises(DomainError, match="đã có lớp \"Lớp B\""):
        sessions.restore_session(session)
    assert session.cancelled


def test_more_learners_than_seats_is_refused(place) -> None:
    commune, _v, hall, hung = place
    small = factories.venue(commune, "Nhà ông trưởng thôn", capacity=8)
    with pytest.raises(DomainError, match="Nhà ông trưởng thôn chỉ có 8 chỗ ngồi; lớp không thể nhận 12 học viên"):
        factories.school_class(commune, at=small, capacity=12, instructors=(hung,))
    klass = factories.school_class(commune, at=hall, capacity=12, instructors=(hung,))
    with pytest.raises(DomainError, match="Nhà ông trưởng thôn chỉ có 8 chỗ ngồi, ít hơn sức chứa của lớp \\(12"):
        sessions.add_session(klass, on=_day(klass), start=T8, end=T10, venue=small)


def test_every_problem_with_a_slot_is_listed_at_once(place) -> None:
    commune, _v, hall, hung = place
    first = factories.school_class(commune, title="Lớp A", at=hall, instructors=(hung,), weeks=2)
    second = factories.school_class(commune, title="Lớp B", at=hall, instructors=(hung,), weeks=8)
    sessions.add_session(second, on=first.ends_on + dt.timedelta(days=1), start=T8, end=T10, venue=hall)
    problems = sessions.slot_problems(first, first.ends_on + dt.timedelta(days=1), T8, T10, hall)
    text = [str(p) for p in problems]
    assert len(text) == 3  # outside the class's dates, venue taken, instructor taken
    assert "nằm ngoài thời gian" in text[0] and "đã có lớp \"Lớp B\"" in text[1] and "đã dạy lớp \"Lớp B\"" in text[2]


def test_moving_a_session_keeps_its_history_and_bumps_the_sequence(place) -> None:
    commune, _v, hall, hung = place
    lan = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    klass = factories.school_class(commune, at=hall, instructors=(hung,))
    other_hall = factories.venue(commune, "Hội trường UBND xã", capacity=100)
    session = sessions.add_session(klass, on=_day(klass), start=T8, end=T10, venue=hall)
    change = sessions.move_session(session, on=_day(klass) + dt.timedelta(days=1), start=dt.time(14),
                                   end=dt.time(16), venue=other_hall, reason="Trùng lịch họp thôn", actor=lan)
    assert change is not None and change.kind == "moved" and change.by_id == lan.id
    assert (change.old_date, change.old_start_time, change.old_venue_id) == (_day(klass), T8, hall.id)
    assert (change.new_date, change.new_start_time, change.new_venue_id) == (session.date, dt.time(14), other_hall.id)
    assert session.sequence == 1 and session.status == "scheduled"
    # Saving the same slot again is not a move.
    assert sessions.move_session(session, on=session.date, start=session.start_time, end=session.end_time,
                                 venue=other_hall) is None
    assert session.sequence == 1 and len(session.changes) == 1


def test_a_move_into_a_clash_is_refused_and_changes_nothing(place) -> None:
    commune, _v, hall, hung = place
    klass = factories.school_class(commune, at=hall, instructors=(hung,))
    fixed = sessions.add_session(klass, on=_day(klass, 1), start=T8, end=T10, venue=hall)
    movable = sessions.add_session(klass, on=_day(klass, 2), start=T8, end=T10, venue=hall)
    with pytest.raises(DomainError, match="Lớp đã có một buổi học khác lúc 08:00–10:00"):
        sessions.move_session(movable, on=fixed.date, start=T9, end=T11, venue=hall)
    db.session.rollback()
    assert db.session.scalars(select(SessionChange)).all() == []


def test_cancel_and_restore_are_kept_in_the_history(place) -> None:
    commune, _v, hall, hung = place
    klass = factories.school_class(commune, at=hall, instructors=(hung,))
    session = sessions.add_session(klass, on=_day(klass), start=T8, end=T10, venue=hall)
    sessions.cancel_session(session, reason="Bão", actor=hung)
    assert sessions.cancel_session(session) is None  # cancelling twice changes nothing
    sessions.restore_session(session, actor=hung)
    assert [c.kind for c in session.changes] == ["cancelled", "restored"]
    assert session.changes[0].reason == "Bão" and session.sequence == 2 and session.status == "scheduled"


def test_a_cancelled_session_must_be_restored_before_it_is_moved(place) -> None:
    commune, _v, hall, hung = place
    klass = factories.school_class(commune, at=hall, instructors=(hung,))
    session = sessions.add_session(klass, on=_day(klass), start=T8, end=T10, venue=hall)
    sessions.cancel_session(session)
    with pytest.raises(DomainError, match="khôi phục"):
        sessions.move_session(session, on=_day(klass, 2), start=T8, end=T10, venue=hall)


def test_adding_an_instructor_who_teaches_elsewhere_at_those_times_is_refused(place) -> None:
    commune, _v, hall, hung = place
    mai = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    first = factories.school_class(commune, title="Lớp A", at=hall, instructors=(hung,))
    other = factories.school_class(commune, title="Lớp B", at=factories.venue(commune, "Hội trường", capacity=40),
                                   instructors=(mai,))
    sessions.add_session(first, on=_day(first), start=T8, end=T10, venue=hall)
    sessions.add_session(other, on=_day(first), start=T9, end=T11, venue=other.venue)
    with pytest.raises(DomainError, match="Nguyễn Văn Hùng đã dạy lớp \"Lớp A\""):
        services.set_staff(other, instructors=[mai, hung])


def test_only_commune_staff_can_run_a_class(place) -> None:
    commune, _v, hall, hung = place
    learner = factories.person(commune, name="Trần Văn Bình")
    klass = factories.school_class(commune, at=hall, instructors=(hung,))
    with pytest.raises(DomainError, match="Trần Văn Bình chưa là tình nguyện viên"):
        services.set_staff(klass, instructors=[hung], assistants=[learner])
    with pytest.raises(DomainError, match="ít nhất một người hướng dẫn"):
        services.set_staff(klass, instructors=[])


def test_an_open_class_needs_an_instructor_and_statuses_follow_their_order(place) -> None:
    commune, _v, hall, hung = place
    klass = factories.school_class(commune, at=hall, status="planned")
    with pytest.raises(DomainError, match="ít nhất một người hướng dẫn"):
        services.set_status(klass, "open")
    services.set_staff(klass, instructors=[hung])
    services.set_status(klass, "open")
    with pytest.raises(DomainError, match="Không thể chuyển lớp từ \"Đang nhận đăng ký\" sang \"Đã kết thúc\""):
        services.set_status(klass, "finished")


def test_new_class_dates_may_not_leave_sessions_outside(place) -> None:
    commune, _v, hall, hung = place
    klass = factories.school_class(commune, at=hall, instructors=(hung,), weeks=8)
    sessions.add_session(klass, on=_day(klass, 6), start=T8, end=T10, venue=hall)
    with pytest.raises(DomainError, match="Có 1 buổi học nằm ngoài thời gian mới"):
        services.update_class(klass, title=klass.title, audience=klass.audience, venue=hall, capacity=klass.capacity,
                              starts_on=klass.starts_on, ends_on=_day(klass, 4), modules=[], access={})


def test_cancelling_a_class_cancels_its_upcoming_sessions_with_history(place) -> None:
    commune, _v, hall, hung = place
    start = vietnam.local_today() - dt.timedelta(weeks=2)
    klass = factories.school_class(commune, at=hall, instructors=(hung,), starts_on=start, status="running")
    past = sessions.add_session(klass, on=start, start=T8, end=T10, venue=hall)
    ahead = sessions.add_session(klass, on=start + dt.timedelta(weeks=3), start=T8, end=T10, venue=hall)
    services.set_status(klass, "cancelled")
    assert past.status == "scheduled" and ahead.status == "cancelled"
    assert ahead.changes[0].reason == "Lớp đã hủy"
    with pytest.raises(DomainError, match="không thể xếp thêm"):
        sessions.add_session(klass, on=start + dt.timedelta(weeks=4), start=T8, end=T10, venue=hall)


# --- weekly series ---------------------------------------------------------------------------

def test_a_weekly_series_teaches_one_module_a_week_in_order(place, curriculum) -> None:
    from app.catalog import services as catalog

    commune, _v, hall, hung = place
    modules = [catalog.module_by_code(code) for code in ("NCT-01", "NCT-05", "NCT-06")]
    monday = vietnam.local_today() + dt.timedelta(days=7 - vietnam.local_today().weekday())
    klass = factories.school_class(commune, at=hall, instructors=(hung,), starts_on=monday, modules=tuple(modules))
    created, skipped = sessions.create_series(klass, first_date=monday, weekday=2, start=T8, end=T10, weeks=4,
                                              venue=hall, module_per_week=True)
    assert skipped == []
    assert [s.date for s in created] == [monday + dt.timedelta(days=2 + 7 * i) for i in range(4)]
    assert all(s.date.weekday() == 2 for s in created)
    assert [s.module.code if s.module else None for s in created] == ["NCT-01", "NCT-05", "NCT-06", None]
    assert created[0].what.startswith("Làm quen với điện thoại thông minh")


def test_a_series_with_clashes_creates_nothing_and_names_each_date(place) -> None:
    commune, _v, hall, hung = place
    mai = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    busy = factories.school_class(commune, title="Lớp 4T", at=hall, instructors=(mai,))
    klass = factories.school_class(commune, title="Lớp người cao tuổi", at=hall, instructors=(hung,), weeks=4)
    first = klass.starts_on
    sessions.add_session(busy, on=first + dt.timedelta(weeks=1), start=T9, end=T11, venue=hall)
    with pytest.raises(sessions.SeriesConflict) as caught:
        sessions.create_series(klass, first_date=first, weekday=first.weekday(), start=T8, end=T10, weeks=6,
                               venue=hall)
    plan = caught.value.plan
    assert [p.ok for p in plan] == [True, False, True, True, True, False]
    assert "Lớp 4T" in str(plan[1].problems[0])
    assert "nằm ngoài thời gian của lớp" in str(plan[5].problems[0])
    assert "2 trong 6 buổi không xếp được" in str(caught.value.message)
    assert db.session.scalars(select(ClassSession).where(ClassSession.class_id == klass.id)).all() == []


def test_a_series_skips_clashing_dates_only_when_asked_and_says_which(place) -> None:
    commune, _v, hall, hung = place
    mai = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    busy = factories.school_class(commune, title="Lớp 4T", at=hall, instructors=(mai,))
    klass = factories.school_class(commune, at=hall, instructors=(hung,))
    first = klass.starts_on
    sessions.add_session(busy, on=first + dt.timedelta(weeks=2), start=T8, end=T10, venue=hall)
    created, skipped = sessions.create_series(klass, first_date=first, weekday=first.weekday(), start=T8, end=T10,
                                              weeks=4, venue=hall, skip_conflicts=True)
    assert len(created) == 3 and [p.on for p in skipped] == [first + dt.timedelta(weeks=2)]


def test_a_series_starts_on_the_first_chosen_weekday_and_checks_its_input(place) -> None:
    commune, _v, hall, hung = place
    klass = factories.school_class(commune, at=hall, instructors=(hung,))
    plan = sessions.plan_series(klass, first_date=klass.starts_on, weekday=(klass.starts_on.weekday() + 3) % 7,
                                start=T8, end=T10, weeks=2, venue=hall)
    assert plan[0].on == klass.starts_on + dt.timedelta(days=3) and plan[1].on == plan[0].on + dt.timedelta(weeks=1)
    with pytest.raises(DomainError, match="Số tuần phải từ 1 đến 52"):
        sessions.plan_series(klass, first_date=klass.starts_on, weekday=0, start=T8, end=T10, weeks=60, venue=hall)
    with pytest.raises(DomainError, match="phải sau giờ bắt đầu"):
        sessions.plan_series(klass, first_date=klass.starts_on, weekday=0, start=T10, end=T8, weeks=2, venue=hall)
