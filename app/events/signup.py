"""Signing up for an event on its public page, before the day: whether the page takes sign-ups, and registering
someone from the details they typed themselves.

The page is open to anyone, so it must never tell what the system already knew. Whoever signs up sees the same
answer (the name, village and birth year they typed, and a badge code), whether they were known, new, or already
registered. A phone number finds someone only together with their name, and another person's number is never
recorded (services.register_newcomer), so typing a neighbour's number neither signs the neighbour up nor shows
their badge.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re

from flask_babel import lazy_gettext as _l

from app import outbox, vietnam
from app.errors import DomainError
from app.events import services
from app.events.models import Event, Participant
from app.extensions import utcnow
from app.people import names
from app.people.services import OLDEST_BIRTH_YEAR

SOURCE = "signup"
CLIENT_PREFIX = "signup"
# Only ids this page handed out: a gate's or a station's client id never names a registration here.
CLIENT_ID = re.compile(r"^signup-[0-9a-f]{32}$")
OPEN, CLOSED, PAST = "open", "closed", "past"


def state(event: Event, now: dt.datetime | None = None) -> str:
    """Tell whether the event takes sign-ups: open, closed by the organisers, or over (by Vietnam's clock)."""
    local = now.astimezone(vietnam.VIETNAM) if now is not None else vietnam.local_now()
    if event.held_on < local.date() or (event.held_on == local.date() and local.time() >= event.closes_at):
        return PAST
    return OPEN if event.signup_open else CLOSED


def new_client_id() -> str:
    """Return the id a sign-up form carries, so the same form sent twice registers once."""
    return outbox.new_client_id(CLIENT_PREFIX)


def _client_id(event: Event, raw: str, data: services.Newcomer) -> str:
    """The id a registration is stored under: the form's, with what was typed in it.

    The same form sent twice registers once; but a form shown again by the back button and filled in for someone
    else (a grandchild signing up the grandparents) registers that person too, instead of answering with the first
    one's badge. An id this page did not hand out, or one that registered someone at another event, is replaced.
    """
    if not CLIENT_ID.match(raw or ""):
        raw = new_client_id()
    typed = f"{vietnam.search_key(data.full_name)}|{data.birth_year}|{data.village_id}"
    key = f"{raw}-{hashlib.sha256(typed.encode()).hexdigest()[:16]}"
    done = services.participant_by_client_id(key)
    return key if done is None or done.event_id == event.id else _client_id(event, "", data)


def _phone(raw: str | None) -> str | None:
    """The phone typed, checked even when the person is found without it (so the answer never depends on that)."""
    try:
        return names.normalise_phone(raw)
    except ValueError:
        raise DomainError(_l("Số điện thoại không hợp lệ: cần 10 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678)."),
                          field="phone") from None


def register_online(event: Event, data: services.Newcomer, *, wants_class: bool, client_id: str,
                    now: dt.datetime | None = None) -> Participant:
    """Register someone who signed up on the public page (consent given online), or raise DomainError."""
    if state(event, now) != OPEN:
        raise DomainError(_l("Hoạt động này không nhận đăng ký trước nữa."))
    this_year = (now or utcnow()).year
    if data.birth_year is None or not OLDEST_BIRTH_YEAR <= data.birth_year <= this_year:
        raise DomainError(_l("Năm sinh phải từ %(low)s đến %(high)s.", low=OLDEST_BIRTH_YEAR, high=this_year),
                          field="birth_year")
    name = vietnam.clean_name(data.full_name or "")
    newcomer = services.Newcomer(full_name=name, birth_year=data.birth_year, village_id=data.village_id,
                                 phone=_phone(data.phone))
    return services.register_newcomer(event, newcomer, source=SOURCE, actor=None, consent_method="online",
                                      arrived=False, wants_class=wants_class,
                                      client_id=_client_id(event, client_id, newcomer), now=now)
