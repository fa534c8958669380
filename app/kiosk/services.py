"""Kiosk rules: which class a tablet serves, who may sign in on it and leave it, the class list in the order
Vietnamese lists are read, one-tap check-in in the room, and printed sign-in cards."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.attendance import checkin as checkins
from app.attendance import settings as attendance_settings
from app.attendance.models import AttendanceMark
from app.auth import services as auth
from app.classes.models import Class, ClassSession, Enrolment
from app.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.people.services import audit
from app.vietnam import VIETNAM

KIOSK_HOURS = 12
# Vietnamese alphabetical order; letters outside it (digits, foreign letters) sort after, by code point.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Tones in dictionary order after the level tone: huyền, hỏi, ngã, sắc, nặng ("a à ả ã á ạ").
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@dataclass(frozen=True)
class Kiosk:
    """A tablet put into kiosk mode for one class, by a member of its staff."""

    class_id: int
    started_by: int
    started_at: datetime


def _signer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="hocvuso-kiosk-v1")


def kiosk_token(klass: Class, started_by: Person, secret: str) -> str:
    """Seal the kiosk's class into a cookie value that expires after a working day."""
    return _signer(secret).dumps({"class": klass.id, "by": started_by.id})


def read_kiosk(token: str | None, secret: str) -> Kiosk | None:
    """Open a kiosk cookie; None when it is missing, forged or older than a working day."""
    if not token:
        return None
    try:
        data, signed_at = _signer(secret).loads(token, max_age=KIOSK_HOURS * 3600, return_timestamp=True)
    except (BadSignature, SignatureExpired):
        return None
    return Kiosk(int(data["class"]), int(data["by"]), signed_at)


def syllable_key(syllable: str) -> tuple[tuple[int, ...], int]:
    """Collate one syllable the Vietnamese way: its letters (a < ă < â, d < đ, o < ô < ơ …), then its tone."""
    letters: list[str] = []
    tone = 0
    for char in unicodedata.normalize("NFD", syllable.lower()):
        if char in _TONES:
            tone = _TONES[char]
        elif unicodedata.combining(char) and letters:  # breve, circumflex, horn: part of the letter
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        elif not unicodedata.combining(char):
            letters.append(char)
    return tuple(_RANK.get(letter, len(ALPHABET) + ord(letter)) for letter in letters), tone


def given_name_key(full_name: str) -> tuple[tuple[tuple[tuple[int, ...], int], ...], ...]:
    """Sort key for a Vietnamese name as class lists are read: given name, then middle names, then family name.

    "Nguyễn Thị Hương" sorts under H (Hương, Thị, Nguyễn), next to its tile's initial.
    """
    parts = full_name.split()
    if not parts:
        return ((), (), ())
    given, middle, family = parts[-1], parts[1:-1], parts[:1] if len(parts) > 1 else []
    return ((syllable_key(given),), tuple(syllable_key(p) for p in middle), tuple(syllable_key(p) for p in family))


def learners(kiosk: Kiosk) -> tuple[Class, list[Person]]:
    """Return the kiosk's class and its enrolled learners, by given name (today's class list)."""
    klass = db.session.get(Class, kiosk.class_id)
    if klass is None or klass.status in ("cancelled", "finished"):
        raise DomainError(_l("Lớp của máy dùng chung này không còn mở. Nhờ người hướng dẫn khởi động lại."))
    people = db.session.scalars(
        select(Person).join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.class_id == klass.id, Enrolment.status == "enrolled")
        .options(selectinload(Person.village)))
    # A class is a few dozen people: sorting here gives the exact Vietnamese order on every database.
    return klass, sorted(people, key=lambda p: (given_name_key(p.full_name), p.id))


def learner_of(kiosk: Kiosk, person_id: int) -> Person:
    """Return a learner of the kiosk's class, or raise: nobody else signs in on this tablet."""
    enrolled: Enrolment | None = db.session.scalar(select(Enrolment).where(Enrolment.class_id == kiosk.class_id,
                                                         Enrolment.person_id == person_id,
                                                         Enrolment.status == "enrolled"))
    if enrolled is None:
        raise DomainError(_l("Người này không có trong danh sách lớp."))
    return enrolled.person


def card_token(person: Person, secret: str) -> str:
    """Token printed as a QR code on a learner's sign-in card (the PIN is still needed)."""
    return URLSafeSerializer(secret, salt="hocvuso-card-v1").dumps(person.id)


def person_from_card(token: str, secret: str) -> int | None:
    """Read a sign-in card's person id; None for a forged card."""
    try:
        return int(URLSafeSerializer(secret, salt="hocvuso-card-v1").loads(token))
    except (BadSignature, ValueError, TypeError):
        return None


def expires_at(kiosk: Kiosk) -> datetime:
    """When the kiosk stops serving, and staff must start it again."""
    return kiosk.started_at.astimezone(UTC) + timedelta(hours=KIOSK_HOURS)


@dataclass(frozen=True)
class StaffExit:
    """The outcome of a staff secret at the kiosk: who may leave kiosk mode, or why not."""

    staff: Person | None
    locked_until: datetime | None = None
    not_staff: bool = False  # a right secret, but not of staff of the class's commune


def staff_exit(kiosk: Kiosk, phone: str, secret: str) -> StaffExit:
    """Check a staff member's phone and PIN or password before the tablet leaves kiosk mode.

    Wrong secrets count against the same lock as signing in; only staff of the class's commune may end it.
    """
    outcome = auth.authenticate(phone, secret)
    if outcome.person is None:
        return StaffExit(None, outcome.locked_until)
    klass = db.session.get(Class, kiosk.class_id)
    scope = policy.Scope(klass.commune_id if klass else None)
    if not (policy.is_admin(outcome.person) or policy.roles_in(outcome.person, scope) & policy.STAFF):
        return StaffExit(None, not_staff=True)
    audit(outcome.person, None, "kiosk.stop", f"class={kiosk.class_id}")
    return StaffExit(outcome.person)


@dataclass(frozen=True)
class CheckinOffer:
    """A session of the kiosk's class a learner can check in at now ("open") or later today ("not_yet")."""

    session: ClassSession
    state: str
    opens_at: datetime
    status: str | None  # the learner's mark at this session, if any


def checkin_offer(kiosk: Kiosk, person: Person, now: datetime) -> CheckinOffer | None:
    """Return the session the learner on the kiosk may check in at now, else today's next one, else None."""
    klass = db.session.get(Class, kiosk.class_id)
    if klass is None:
        return None
    late = attendance_settings.settings_for(klass.commune_id).late_window_minutes
    today: date = now.astimezone(VIETNAM).date()
    # Yesterday too: an evening session's late window may run past midnight.
    sessions = db.session.scalars(select(ClassSession).where(
        ClassSession.class_id == klass.id, ClassSession.status == "scheduled",
        ClassSession.date.between(today - timedelta(days=1), today))
        .order_by(ClassSession.date, ClassSession.start_time, ClassSession.id))
    states = [(s, checkins.window_state(s, now, late)) for s in sessions]
    found = next(((s, st) for s, st in states if st == "open"), None) or next(
        ((s, st) for s, st in states if st == "not_yet" and s.date == today), None)
    if found is None:
        return None
    session, state = found
    status = db.session.scalar(select(AttendanceMark.status).join(
        Enrolment, Enrolment.id == AttendanceMark.enrolment_id).where(
        AttendanceMark.session_id == session.id, Enrolment.person_id == person.id))
    return CheckinOffer(session, state, checkins.window(session, late)[0], status)


def check_in_here(kiosk: Kiosk, person: Person, now: datetime) -> checkins.CheckIn:
    """Check the learner signed in on the class's own tablet in to the session open now: one tap, no code.

    The tablet in kiosk mode is in the room, so being signed in on it is the proof of presence a QR code gives.
    Recorded through attendance's own check-in (same window, grace and late rules, same history).
    """
    offer = checkin_offer(kiosk, person, now)
    if offer is None or offer.state != "open":
        raise DomainError(_l("Bây giờ lớp không có buổi học nào đang mở điểm danh."))
    learner_of(kiosk, person.id)
    rules = attendance_settings.settings_for(offer.session.class_.commune_id)
    result = checkins.check_in(offer.session, person, now=now, source="tap", grace_minutes=rules.grace_minutes,
                               late_window_minutes=rules.late_window_minutes)
    if result.needs_enrolment:
        raise DomainError(_l("Người này không có trong danh sách lớp."))
    return result
