"""Self check-in: rotating QR tokens and short codes, the session and late windows, replays, idempotent check-in."""
from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.attendance import checkin, marks
from app.attendance.models import AttendanceChange
from app.classes.models import ClassSession
from app.errors import DomainError
from app.extensions import db
from app.policy import Role
from tests import factories

SECRET = "test-secret-key"
LATE = 15  # the default late window, minutes
GRACE = 10


@pytest.fixture
def setting(ctx: Flask):
    commune = factories.commune()
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, capacity=10, instructors=(hung,))
    session = factories.class_session(klass)  # 08:00–10:00 on the class's first day
    huong, binh = factories.enrol_learners(klass, 2)
    db.session.commit()
    return klass, session, huong, binh, hung


def at(session: ClassSession, minutes: float, seconds: float = 0) -> dt.datetime:
    return (session.starts_at + dt.timedelta(minutes=minutes, seconds=seconds)).astimezone(dt.UTC)


def verify(session: ClassSession, token: str, now: dt.datetime, late: int = LATE) -> None:
    checkin.verify_token(session, token, secret=SECRET, now=now, late_window_minutes=late)


def token_at(session: ClassSession, now: dt.datetime) -> str:
    return checkin.qr_token(SECRET, session.id, checkin.step_at(now))


def step_start(moment: dt.datetime) -> dt.datetime:
    """The first instant of the 10-second step a moment falls in."""
    return dt.datetime.fromtimestamp(checkin.step_at(moment) * checkin.STEP_SECONDS, tz=dt.UTC)


# --- rotation -----------------------------------------------------------------------------------

def test_the_code_rotates_and_is_accepted_only_in_its_own_step_and_the_next(setting) -> None:
    _k, session, *_ = setting
    shown = step_start(at(session, 5))
    token = token_at(session, shown)
    assert token != token_at(session, shown + dt.timedelta(seconds=10)) != token_at(session, shown + dt.timedelta(
        seconds=20))
    assert len(token) == 16 and token.isalnum()
    verify(session, token, shown)
    verify(session, token.lower(), shown + dt.timedelta(seconds=9.9))
    verify(session, token, shown + dt.timedelta(seconds=19.9))  # the previous step: a slow phone network
    with pytest.raises(DomainError, match="hết hạn hoặc không đúng"):
        verify(session, token, shown + dt.timedelta(seconds=20))


def test_a_photographed_code_is_useless_a_little_later(setting) -> None:
    _k, session, *_ = setting
    photo_taken = at(session, 5)
    token = token_at(session, photo_taken)
    for later in (dt.timedelta(seconds=25), dt.timedelta(minutes=10), dt.timedelta(days=7)):
        with pytest.raises(DomainError):
            verify(session, token, photo_taken + later)


def test_a_code_from_the_future_is_refused(setting) -> None:
    _k, session, *_ = setting
    now = at(session, 5)
    with pytest.raises(DomainError, match="hết hạn hoặc không đúng"):
        verify(session, token_at(session, now + dt.timedelta(seconds=30)), now)


def test_garbage_is_refused(setting) -> None:
    _k, session, *_ = setting
    for token in ("", "not-a-real-card", "A" * 16, "1" * 200):
        with pytest.raises(DomainError):
            verify(session, token, at(session, 5))


# --- the session and late windows ---------------------------------------------------------------

def test_the_code_works_from_a_little_before_the_start_until_the_late_window_ends(setting) -> None:
    _k, session, *_ = setting
    end = (session.ends_at - session.starts_at).total_seconds() / 60
    with pytest.raises(DomainError, match="Chưa đến giờ điểm danh"):
        verify(session, token_at(session, at(session, -16)), at(session, -16))
    for minutes in (-14, 0, 30, end, end + 14):
        verify(session, token_at(session, at(session, minutes)), at(session, minutes))
    with pytest.raises(DomainError, match="Đã hết giờ điểm danh"):
        verify(session, token_at(session, at(session, end + 16)), at(session, end + 16))


def test_a_longer_late_window_keeps_the_code_open_longer(setting) -> None:
    _k, session, *_ = setting
    after_end = at(session, 120 + 25)
    with pytest.raises(DomainError, match="hết giờ"):
        verify(session, token_at(session, after_end), after_end)
    verify(session, token_at(session, after_end), after_end, late=30)
    assert checkin.window_state(session, after_end, 30) == "open"
    assert checkin.window_state(session, after_end, 0) == "closed"


def test_a_code_for_one_session_never_opens_another(setting) -> None:
    klass, session, *_ = setting
    other = factories.class_session(klass, on=klass.starts_on, start=dt.time(10), end=dt.time(11))
    now = at(session, 5)
    with pytest.raises(DomainError, match="hết hạn hoặc không đúng"):
        verify(other, token_at(session, now), now)
    assert checkin.short_code(SECRET, session.id, 1) != checkin.short_code(SECRET, other.id, 1) or \
        checkin.qr_token(SECRET, session.id, 1) != checkin.qr_token(SECRET, other.id, 1)


def test_a_future_session_refuses_even_its_own_current_code(setting) -> None:
    klass, session, *_ = setting
    next_week = factories.class_session(klass, on=klass.starts_on + dt.timedelta(days=7))
    now = at(session, 5)
    with pytest.raises(DomainError, match="Chưa đến giờ điểm danh"):
        verify(next_week, token_at(next_week, now), now)


def test_a_cancelled_session_refuses_its_code(setting) -> None:
    _k, session, _h, _b, hung = setting
    from app.classes import sessions

    sessions.cancel_session(session, reason="Mất điện", actor=hung)
    with pytest.raises(DomainError, match="đã bị hủy"):
        verify(session, token_at(session, at(session, 5)), at(session, 5))


def test_a_different_secret_makes_different_codes(setting) -> None:
    _k, session, *_ = setting
    assert checkin.qr_token(SECRET, session.id, 7) != checkin.qr_token("another-secret", session.id, 7)


# --- the short code ----------------------------------------------------------------------------

def find(person, code: str, now: dt.datetime) -> ClassSession:
    person = person.person if hasattr(person, "person") else person
    return checkin.session_for_code(person, code, secret=SECRET, now=now, late_window_minutes=LATE)


def test_the_short_code_finds_the_session_it_was_shown_for(setting) -> None:
    _k, session, huong, *_ = setting
    now = at(session, 3)
    code = checkin.short_code(SECRET, session.id, checkin.step_at(now))
    assert len(code) == 6 and code.isdigit()
    assert find(huong, code, now) == session
    assert find(huong, f"{code[:3]} {code[3:]}", now + dt.timedelta(seconds=10)) == session
    with pytest.raises(DomainError, match="hết hạn"):
        find(huong, code, now + dt.timedelta(seconds=20))
    with pytest.raises(DomainError, match="6 chữ số"):
        find(huong, code[:5], now)


def test_the_short_code_of_another_communes_session_finds_nothing(setting) -> None:
    _k, session, *_ = setting
    outsider = factories.person(factories.commune(factories.COMMUNE_CODES[1]), name="Mai Văn Khách")
    now = at(session, 3)
    with pytest.raises(DomainError):
        find(outsider, checkin.short_code(SECRET, session.id, checkin.step_at(now)), now)


# --- checking in ----------------------------------------------------------------------------------

def go(session: ClassSession, person, now: dt.datetime, source: str = "qr") -> checkin.CheckIn:
    return checkin.check_in(session, person.person if hasattr(person, "person") else person, now=now, source=source,
                            grace_minutes=GRACE, late_window_minutes=LATE)


def changes() -> int:
    return db.session.scalar(select(func.count()).select_from(AttendanceChange))


def test_checking_in_marks_present_then_late_after_the_grace_period(setting) -> None:
    _k, session, huong, binh, _h = setting
    assert go(session, huong, at(session, 9)).status == "present"
    assert go(session, binh, at(session, 11)).status == "late"
    assert marks.current(session)[huong.id].source == "qr"


def test_checking_in_twice_changes_nothing(setting) -> None:
    _k, session, huong, *_ = setting
    first = go(session, huong, at(session, 2))
    second = go(session, huong, at(session, 30), source="code")
    assert (first.changed, second.changed, second.status) == (True, False, "present")
    assert changes() == 1


def test_a_learner_marked_absent_who_arrives_and_checks_in_is_late(setting) -> None:
    _k, session, huong, _b, hung = setting
    marks.mark(session, huong, "absent", actor=hung, now=at(session, 5))
    assert go(session, huong, at(session, 25)).status == "late"
    assert marks.current(session)[huong.id].status == "late"


def test_someone_not_enrolled_is_offered_enrolment_and_not_marked(setting) -> None:
    klass, session, *_ = setting
    walker = factories.person(klass.commune, name="Bùi Thị Lành")
    result = go(session, walker, at(session, 3))
    assert result.needs_enrolment and result.status is None and not result.changed
    assert changes() == 0


def test_checking_in_outside_the_window_is_refused(setting) -> None:
    _k, session, huong, *_ = setting
    with pytest.raises(DomainError, match="hết giờ"):
        go(session, huong, at(session, 120 + LATE + 1))


# --- a scan's grant ---------------------------------------------------------------------------

def test_a_scan_lets_its_browser_finish_checking_in_for_a_few_minutes_only(setting) -> None:
    _k, session, huong, binh, _h = setting
    now = at(session, 3)
    grant = {"s": session.id, "at": now.timestamp(), "p": None}
    assert checkin.grant_usable(grant, person_id=huong.person_id, now=now + dt.timedelta(minutes=2)) == session.id
    assert checkin.grant_usable(grant, person_id=huong.person_id, now=now + dt.timedelta(minutes=4)) is None
    mine = {**grant, "p": huong.person_id}
    assert checkin.grant_usable(mine, person_id=binh.person_id, now=now) is None
    assert checkin.grant_usable({"s": "x"}, person_id=huong.person_id, now=now) is None
    assert checkin.grant_time(grant) == now
