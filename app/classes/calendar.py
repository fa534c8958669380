"""iCalendar (RFC 5545) feeds of sessions — per class, instructor and venue — and their secret addresses."""
from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.classes.models import CalendarFeed, Class, ClassSession, ClassStaff
from app.classes.services import ACCESS_FACTS
from app.extensions import db, utcnow
from app.people.models import Person
from app.vietnam import VIETNAM, day, local_today

FEED_KINDS = ("class", "instructor", "venue")
PRODID = "-//Hoc Vu So//Lich lop Binh dan hoc vu so//VI"
HISTORY_DAYS = 90  # instructor and venue feeds start this many days back, so they stay small
_DUMMY = secrets.token_urlsafe(24)


def active_feed(kind: str, target_id: int) -> CalendarFeed | None:
    """Return the feed now in use for a calendar, if one was created."""
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.kind == kind, CalendarFeed.target_id == target_id,
                                                        CalendarFeed.revoked_at.is_(None))
                             .order_by(CalendarFeed.id.desc()).limit(1))


def ensure_feed(kind: str, target_id: int, *, actor: Person | None = None) -> CalendarFeed:
    """Return the calendar's feed, creating its secret address the first time."""
    return active_feed(kind, target_id) or _new_feed(kind, target_id, actor)


def regenerate_feed(kind: str, target_id: int, *, actor: Person | None = None) -> CalendarFeed:
    """Give a calendar a new secret address; the old one stops working at once."""
    now = utcnow()
    for feed in db.session.scalars(select(CalendarFeed).where(
            CalendarFeed.kind == kind, CalendarFeed.target_id == target_id, CalendarFeed.revoked_at.is_(None))):
        feed.revoked_at = now
    return _new_feed(kind, target_id, actor)


def _new_feed(kind: str, target_id: int, actor: Person | None) -> CalendarFeed:
    if kind not in FEED_KINDS:
        raise ValueError(kind)
    feed = CalendarFeed(kind=kind, target_id=target_id, token=secrets.token_urlsafe(24),
                        created_by_id=actor.id if actor else None)
    db.session.add(feed)
    db.session.flush()
    return feed


def feed_matching(kind: str, target_id: int, token: str | None) -> CalendarFeed | None:
    """Return the feed when the token is its current one (compared in constant time), else None."""
    feed = active_feed(kind, target_id)
    given = (token or "").encode()
    expected = feed.token.encode() if feed is not None else _DUMMY.encode()
    return feed if hmac.compare_digest(given, expected) and feed is not None else None


def _with_details(stmt: Any) -> Any:
    return stmt.options(selectinload(ClassSession.class_).selectinload(Class.staff),
                        selectinload(ClassSession.venue), selectinload(ClassSession.changes),
                        selectinload(ClassSession.module)).order_by(ClassSession.date, ClassSession.start_time,
                                                                    ClassSession.id)


def sessions_for(kind: str, target_id: int, *, today: dt.date | None = None) -> list[ClassSession]:
    """Return the sessions a feed shows: all of a class's; an instructor's or a venue's from 90 days back."""
    since = (today or local_today()) - dt.timedelta(days=HISTORY_DAYS)
    stmt = select(ClassSession)
    if kind == "class":
        stmt = stmt.where(ClassSession.class_id == target_id)
    elif kind == "instructor":
        stmt = stmt.where(ClassSession.date >= since, ClassSession.class_id.in_(
            select(ClassStaff.class_id).where(ClassStaff.person_id == target_id)))
    elif kind == "venue":
        stmt = stmt.where(ClassSession.date >= since, ClassSession.venue_id == target_id)
    else:
        raise ValueError(kind)
    return list(db.session.scalars(_with_details(stmt)))


def _description(session: ClassSession) -> str:
    klass = session.class_
    lines = []
    if session.what:
        lines.append(_("Nội dung: %(what)s", what=session.what))
    if klass.instructors:
        lines.append(_("Người hướng dẫn: %(names)s", names=", ".join(p.full_name for p in klass.instructors)))
    support = [str(label) for fact, label in ACCESS_FACTS.items() if getattr(klass, fact)]
    if support:
        lines.append(_("Hỗ trợ: %(what)s", what=", ".join(support)))
    if klass.access_notes:
        lines.append(klass.access_notes)
    last = session.changes[-1] if session.changes else None
    if session.cancelled:
        lines.append(_("Buổi học này đã HỦY.") + (" " + _("Lý do: %(why)s", why=last.reason) if last and last.reason
                                                  else ""))
    elif last is not None and last.kind == "moved":
        lines.append(_("Đã đổi lịch, trước đây là %(hours)s ngày %(day)s.",
                       hours=f"{last.old_start_time:%H:%M}–{last.old_end_time:%H:%M}", day=day(last.old_date))
                     + (" " + _("Lý do: %(why)s", why=last.reason) if last.reason else ""))
    return "\n".join(lines)


def build_calendar(name: str, sessions: Sequence[ClassSession], *, host: str,
                   class_url: Callable[[Class], str] | None = None, now: dt.datetime | None = None) -> bytes:
    """Write sessions as an iCalendar file with the Vietnam time zone, stable UIDs and cancellations marked."""
    now = now or utcnow()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    cal.add_component(Timezone.from_tzid("Asia/Ho_Chi_Minh", first_date=dt.date(2000, 1, 1),
                                         last_date=dt.date(2100, 1, 1)))
    for session in sessions:
        klass = session.class_
        event = Event()
        event.add("uid", f"session-{session.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", dt.datetime.combine(session.date, session.start_time, tzinfo=VIETNAM))
        event.add("dtend", dt.datetime.combine(session.date, session.end_time, tzinfo=VIETNAM))
        event.add("last-modified", session.updated_at)
        summary = klass.title + (f" – {session.what}" if session.what else "")
        event.add("summary", (_("ĐÃ HỦY") + ": " + summary) if session.cancelled else summary)
        if session.venue is not None:
            event.add("location", ", ".join(p for p in (session.venue.name, session.venue.address) if p))
        description = _description(session)
        if description:
            event.add("description", description)
        event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
        event.add("sequence", session.sequence)
        if class_url is not None:
            event.add("url", class_url(klass))
        cal.add_component(event)
    return cal.to_ical()
