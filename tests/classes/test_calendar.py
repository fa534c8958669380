"""iCalendar feeds: parsed back with the icalendar library, Vietnamese names and Vietnam times intact."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar

from app.classes import calendar, sessions
from app.extensions import db
from app.policy import Role
from tests import factories

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "Lớp điện thoại thông minh cho người cao tuổi – thôn Đông"


@pytest.fixture
def schedule(ctx):
    commune = factories.commune()
    village = factories.village(commune, "Thôn Đông")
    hall = factories.venue(commune, "Nhà văn hóa thôn Đông", in_village=village)
    hall.address = "Đường trục thôn Đông"
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, title=TITLE, at=hall, instructors=(hung,))
    klass.large_print = True
    day = klass.starts_on + dt.timedelta(days=7)
    plain = sessions.add_session(klass, on=day, start=dt.time(8), end=dt.time(10, 30), venue=hall,
                                 topic="Gọi video qua Zalo cho con cháu")
    moved = sessions.add_session(klass, on=day + dt.timedelta(weeks=1), start=dt.time(8), end=dt.time(10), venue=hall)
    sessions.move_session(moved, on=moved.date + dt.timedelta(days=1), start=dt.time(14), end=dt.time(16),
                          venue=hall, reason="Trùng lịch họp thôn")
    cancelled = sessions.add_session(klass, on=day + dt.timedelta(weeks=2), start=dt.time(8), end=dt.time(10),
                                     venue=hall)
    sessions.cancel_session(cancelled, reason="Mất điện")
    db.session.commit()
    return {"class": klass, "hall": hall, "hung": hung, "plain": plain, "moved": moved, "cancelled": cancelled,
            "commune": commune}


def _feed(client: FlaskClient, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar" and "charset=utf-8" in response.headers["Content-Type"]
    return Calendar.from_ical(response.data)


def test_a_class_feed_round_trips_vietnamese_names_and_vietnam_times(client, schedule) -> None:
    klass = schedule["class"]
    feed = calendar.ensure_feed("class", klass.id)
    db.session.commit()
    cal = _feed(client, f"/calendar/class/{klass.id}.ics?token={feed.token}")
    assert str(cal["VERSION"]) == "2.0" and "Hoc Vu So" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == f"Lịch học: {TITLE}"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    plain, moved, cancelled = schedule["plain"], schedule["moved"], schedule["cancelled"]
    assert set(events) == {f"session-{s.id}@localhost" for s in (plain, moved, cancelled)}

    first = events[f"session-{plain.id}@localhost"]
    start, end = first.decoded("DTSTART"), first.decoded("DTEND")
    assert start == dt.datetime.combine(plain.date, dt.time(8), tzinfo=VIETNAM)
    assert end == dt.datetime.combine(plain.date, dt.time(10, 30), tzinfo=VIETNAM)
    assert str(start.tzinfo) == "Asia/Ho_Chi_Minh" and start.utcoffset() == dt.timedelta(hours=7)
    assert first["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert str(first["SUMMARY"]) == f"{TITLE} – Gọi video qua Zalo cho con cháu"
    assert str(first["LOCATION"]) == "Nhà văn hóa thôn Đông, Đường trục thôn Đông"
    assert "Người hướng dẫn: Nguyễn Văn Hùng" in str(first["DESCRIPTION"])
    assert "Tài liệu chữ to" in str(first["DESCRIPTION"])
    assert str(first["STATUS"]) == "CONFIRMED" and int(first["SEQUENCE"]) == 0
    assert first.decoded("DTSTAMP").tzinfo is not None

    second = events[f"session-{moved.id}@localhost"]
    assert second.decoded("DTSTART") == dt.datetime.combine(moved.date, dt.time(14), tzinfo=VIETNAM)
    assert int(second["SEQUENCE"]) == 1
    assert "Đã đổi lịch" in str(second["DESCRIPTION"]) and "Trùng lịch họp thôn" in str(second["DESCRIPTION"])

    third = events[f"session-{cancelled.id}@localhost"]
    assert str(third["STATUS"]) == "CANCELLED" and str(third["SUMMARY"]).startswith("ĐÃ HỦY: ")
    assert "Mất điện" in str(third["DESCRIPTION"])


def test_uids_stay_the_same_when_a_session_moves(client, schedule) -> None:
    klass, moved = schedule["class"], schedule["moved"]
    feed = calendar.ensure_feed("class", klass.id)
    db.session.commit()
    before = {str(e["UID"]) for e in _feed(client, f"/calendar/class/{klass.id}.ics?token={feed.token}").walk("VEVENT")}
    sessions.move_session(moved, on=moved.date, start=dt.time(15), end=dt.time(17), venue=schedule["hall"])
    db.session.commit()
    after = _feed(client, f"/calendar/class/{klass.id}.ics?token={feed.token}")
    assert {str(e["UID"]) for e in after.walk("VEVENT")} == before
    event = next(e for e in after.walk("VEVENT") if str(e["UID"]) == f"session-{moved.id}@localhost")
    assert int(event["SEQUENCE"]) == 2 and event.decoded("DTSTART").hour == 15


def test_instructor_and_venue_feeds_gather_every_class(client, schedule) -> None:
    commune, hall, hung = schedule["commune"], schedule["hall"], schedule["hung"]
    mai = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    other = factories.school_class(commune, title="Lớp 4T: bán hàng trên mạng", at=hall, instructors=(mai,),
                                   assistants=(hung,))
    extra = sessions.add_session(other, on=other.starts_on + dt.timedelta(days=8), start=dt.time(19),
                                 end=dt.time(21), venue=hall)
    teacher = calendar.ensure_feed("instructor", hung.id)
    place = calendar.ensure_feed("venue", hall.id)
    db.session.commit()
    mine = _feed(client, f"/calendar/instructor/{hung.id}.ics?token={teacher.token}")
    assert str(mine["X-WR-CALNAME"]) == "Lịch dạy: Nguyễn Văn Hùng"
    assert f"session-{extra.id}@localhost" in {str(e["UID"]) for e in mine.walk("VEVENT")}
    assert len(mine.walk("VEVENT")) == 4
    board = _feed(client, f"/calendar/venue/{hall.id}.ics?token={place.token}")
    assert str(board["X-WR-CALNAME"]) == "Lịch Nhà văn hóa thôn Đông" and len(board.walk("VEVENT")) == 4


def test_feeds_need_their_current_token(client, schedule) -> None:
    klass = schedule["class"]
    url = f"/calendar/class/{klass.id}.ics"
    assert client.get(url).status_code == 404  # no feed yet
    old = calendar.ensure_feed("class", klass.id)
    db.session.commit()
    assert client.get(url).status_code == 404
    assert client.get(f"{url}?token=guess").status_code == 404
    assert client.get(f"/calendar/venue/{schedule['hall'].id}.ics?token={old.token}").status_code == 404  # other feed
    new = calendar.regenerate_feed("class", klass.id)
    db.session.commit()
    assert new.token != old.token and old.revoked_at is not None
    assert client.get(f"{url}?token={old.token}").status_code == 404
    assert client.get(f"{url}?token={new.token}").status_code == 200
    assert calendar.ensure_feed("class", klass.id).id == new.id  # the address stays until regenerated
