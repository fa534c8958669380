"""Self check-in: a rotating QR code and short code per session, valid only around the session's time.

The code is an HMAC, with a key derived from SECRET_KEY for this purpose only, over the session id and the
current 10-second step. The current and the previous step are accepted (a phone on a slow network), so a
code is good for 10 to 20 seconds: a photo sent to someone at home is useless by the time it arrives, and a
code of one session never opens another. Codes work only from a little before the start until the end plus
the commune's late window. The 6-digit short code (for typing on the class's shared tablet) is cut from the
same HMAC, the way one-time passwords are (RFC 4226). Nothing here looks at addresses or devices: at a
cultural house everyone shares one network and often one tablet.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.attendance import marks
from app.attendance.models import AttendanceMark
from app.classes.models import Class, ClassSession, Enrolment
from app.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.vietnam import VIETNAM

STEP_SECONDS = 10
OPENS_BEFORE = dt.timedelta(minutes=15)
GRANT_SECONDS = 180  # a scan (or a typed code) lets its browser finish checking in for this long
PURPOSE = b"hocvuso/attendance-checkin/v1"
BAD_CODE = _l("Mã đã hết hạn hoặc không đúng. Hãy quét (hoặc gõ) mã đang hiện trên màn hình của lớp.")


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), PURPOSE, hashlib.sha256).digest()


def step_at(now: dt.datetime) -> int:
    """Return the 10-second step a moment falls in."""
    return int(now.timestamp()) // STEP_SECONDS


def seconds_left(now: dt.datetime) -> float:
    """Return how long the current step has to run."""
    return STEP_SECONDS - now.timestamp() % STEP_SECONDS


def _mac(secret: str, session_id: int, step: int) -> bytes:
    return hmac.new(_key(secret), f"{session_id}:{step}".encode(), hashlib.sha256).digest()


def qr_token(secret: str, session_id: int, step: int) -> str:
    """Return the token a QR code carries for a session at a step (80 bits, 16 letters and digits)."""
    return base64.b32encode(_mac(secret, session_id, step)[:10]).decode()


def short_code(secret: str, session_id: int, step: int) -> str:
    """Return the 6-digit code shown under the QR code for typing on a tablet."""
    mac = _mac(secret, session_id, step)
    offset = mac[-1] & 0x0F
    return f"{(int.from_bytes(mac[offset:offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def window(session: ClassSession, late_window_minutes: int) -> tuple[dt.datetime, dt.datetime]:
    """Return when check-in opens and closes for a session."""
    return session.starts_at - OPENS_BEFORE, session.ends_at + dt.timedelta(minutes=late_window_minutes)


def window_state(session: ClassSession, now: dt.datetime, late_window_minutes: int) -> str:
    """Tell whether check-in is "not_yet" open, "open", or "closed" (also for a cancelled session)."""
    if session.status != "scheduled":
        return "closed"
    opens, closes = window(session, late_window_minutes)
    return "not_yet" if now < opens else "open" if now <= closes else "closed"


def check_window(session: ClassSession, now: dt.datetime, late_window_minutes: int) -> None:
    """Raise DomainError, saying why, unless check-in is open for the session now."""
    if session.status != "scheduled":
        raise DomainError(_l("Buổi học này đã bị hủy."))
    state = window_state(session, now, late_window_minutes)
    if state == "not_yet":
        opens = window(session, late_window_minutes)[0].astimezone(VIETNAM)
        raise DomainError(_l("Chưa đến giờ điểm danh buổi học ngày %(day)s (mở lúc %(time)s).",
                             day=session.date.strftime("%d/%m/%Y"), time=opens.strftime("%H:%M")))
    if state == "closed":
        raise DomainError(_l("Đã hết giờ điểm danh buổi học ngày %(day)s.", day=session.date.strftime("%d/%m/%Y")))


def _steps(now: dt.datetime) -> tuple[int, int]:
    step = step_at(now)
    return step, step - 1


def verify_token(session: ClassSession, token: str, *, secret: str, now: dt.datetime,
                 late_window_minutes: int) -> None:
    """Raise DomainError unless the QR token is this session's, from now or the step before, in its window."""
    given = (token or "").strip().upper().encode()
    if not any(hmac.compare_digest(given, qr_token(secret, session.id, s).encode()) for s in _steps(now)):
        raise DomainError(BAD_CODE)
    check_window(session, now, late_window_minutes)


def _code_matches(session_id: int, code: str, secret: str, now: dt.datetime) -> bool:
    return any(hmac.compare_digest(code.encode(), short_code(secret, session_id, s).encode()) for s in _steps(now))


def session_for_code(person: Person, code: str, *, secret: str, now: dt.datetime,
                     late_window_minutes: int) -> ClassSession:
    """Find the session of the person's commune, today, whose short code this is; raise DomainError if none."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        raise DomainError(_l("Mã điểm danh gồm 6 chữ số."), field="code")
    today = now.astimezone(VIETNAM).date()
    candidates = list(db.session.scalars(
        select(ClassSession).join(Class, Class.id == ClassSession.class_id)
        .where(Class.commune_id == person.commune_id, ClassSession.date.between(today - dt.timedelta(days=1), today),
               ClassSession.status == "scheduled")
        .order_by(ClassSession.start_time, ClassSession.id)))
    found = [s for s in candidates if _code_matches(s.id, code, secret, now)]
    if not found:
        raise DomainError(BAD_CODE, field="code")
    mine = {e.class_id for e in db.session.scalars(select(Enrolment).where(
        Enrolment.person_id == person.id, Enrolment.status == "enrolled",
        Enrolment.class_id.in_({s.class_id for s in found})))}
    session = next((s for s in found if s.class_id in mine), found[0])  # two sessions sharing a code: their own
    check_window(session, now, late_window_minutes)
    return session


@dataclass(frozen=True)
class CheckIn:
    """The outcome of a check-in: the learner's status now, whether it changed, or that they are not enrolled."""

    session: ClassSession
    status: str | None
    changed: bool
    enrolment: Enrolment | None  # the learner's row in the class, whatever its status

    @property
    def needs_enrolment(self) -> bool:
        return self.enrolment is None or self.enrolment.status != "enrolled"


def check_in(session: ClassSession, person: Person, *, now: dt.datetime, at: dt.datetime | None = None,
             source: str, grace_minutes: int, late_window_minutes: int) -> CheckIn:
    """Mark a learner present (or late, after start + grace) at the moment `at` they proved they were there.

    Idempotent: once present or late, checking in again changes nothing. Someone not enrolled is not marked;
    the outcome says so, so the page can offer enrolment instead.
    """
    at = at or now
    check_window(session, at, late_window_minutes)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.class_id == session.class_id,
                                                          Enrolment.person_id == person.id))
    if enrolment is None or enrolment.status != "enrolled":
        return CheckIn(session, None, False, enrolment)
    status = "late" if at > session.starts_at + dt.timedelta(minutes=grace_minutes) else "present"
    outcome = marks.record(session, [marks.Write(enrolment.id, status, marks.new_client_id(source), at, source)],
                           actor=person, now=now, keep_attended=True)
    if outcome.failed:
        raise DomainError(outcome.failed[0]["message"])
    if outcome.skipped:
        existing = db.session.scalar(select(AttendanceMark.status).where(AttendanceMark.session_id == session.id,
                                                                        AttendanceMark.enrolment_id == enrolment.id))
        return CheckIn(session, existing, False, enrolment)
    return CheckIn(session, status, True, enrolment)


def grant_usable(grant: dict | None, *, person_id: int, now: dt.datetime) -> int | None:
    """Return the session id a browser's recent scan proves presence at, if the scan is still usable by this person."""
    if not isinstance(grant, dict):
        return None
    try:
        session_id, at, who = int(grant["s"]), float(grant["at"]), grant.get("p")
    except (KeyError, TypeError, ValueError):
        return None
    if who is not None and who != person_id:
        return None
    if not 0 <= now.timestamp() - at <= GRANT_SECONDS:
        return None
    return session_id


def grant_time(grant: dict) -> dt.datetime:
    """Return when a grant's scan happened."""
    return dt.datetime.fromtimestamp(float(grant["at"]), tz=dt.UTC)
