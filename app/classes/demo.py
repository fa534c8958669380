"""Demo classes for Xã Tiên Minh, dated relative to today so the demo always has a class "today".

- running: smartphones for older people at Thôn Đông, weekly, 12 learners, one session moved;
- open: a 4T class for traders at Thôn Trung Hòa, full, with a waiting list;
- planned: a disability-track class at the commune hall, with sign language and a hearing loop;
- finished: a first course on online safety, all sessions in the past (certificates build on it).
Modules are linked only when the curriculum is loaded (`flask courses sync`); without it classes still load.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from app import vietnam
from app.classes import enrolment as enrolments
from app.classes import queries, services, sessions
from app.classes.models import Class
from app.demo import services as demo
from app.extensions import db
from app.people.models import Person
from app.places.models import Commune, Venue

ELDERLY_CLASS = "Lớp điện thoại thông minh cho người cao tuổi – thôn Đông"
TRADER_CLASS = "Lớp 4T: bán hàng online, thanh toán không dùng tiền mặt – thôn Trung Hòa"
DISABILITY_CLASS = "Lớp kỹ năng số cho người khuyết tật – Hội trường xã"
FINISHED_CLASS = "Bình dân học vụ số khóa 1: an toàn trên mạng"

ELDERLY_LEARNERS = ("0910000001", "0910000002", "0910000006", "0910000009", "0910000011", "0910000012",
                    "0910000017", "0910000020", "0910000021", "0910000023", "0910000026", "0910000029")
TRADERS = ("0910000003", "0910000007", "0910000008", "0910000019", "0910000025", "0910000009")
TRADERS_WAITING = ("0910000015", "0910000028")
DISABLED_LEARNERS = ("0910000004", "0910000018", "0910000026")
FINISHED_LEARNERS = ("0910000001", "0910000005", "0910000010", "0910000013", "0910000014", "0910000022",
                     "0910000024", "0910000027")


def _weekly(klass: Class, first: dt.date, start: dt.time, end: dt.time, weeks: int) -> None:
    assert klass.venue is not None
    sessions.create_series(klass, first_date=first, weekday=first.weekday(), start=start, end=end, weeks=weeks,
                           venue=klass.venue, module_per_week=True)


def _enrol(klass: Class, people: dict[str, Person], phones: tuple[str, ...], actor: Person | None) -> None:
    for phone in phones:
        if phone in people:
            enrolments.enrol(klass, people[phone], source="staff", actor=actor)


def add_classes(commune: Commune) -> None:
    """Create the demo classes with their sessions and learners."""
    today = vietnam.local_today()
    people = {p.phone: p for p in db.session.scalars(select(Person).where(Person.commune_id == commune.id))
              if p.phone}
    venues = {v.name: v for v in db.session.scalars(select(Venue).where(Venue.commune_id == commune.id))}
    offered = {m.code: m for m in queries.modules_offered()}

    def modules(*codes: str) -> list[Any]:
        return [offered[c] for c in codes if c in offered]

    officer, hung, mai, huy, thu, nam = (people.get(p) for p in (
        "0900000002", "0900000003", "0900000004", "0900000005", "0900000006", "0900000007"))

    def make(title: str, audience: str, venue: str, capacity: int, starts: dt.date, weeks: int, codes: tuple[str, ...],
             staff: tuple[Any, ...], helpers: tuple[Any, ...], **access: bool) -> Class:
        klass = services.create_class(commune, title=title, audience=audience, venue=venues[venue], capacity=capacity,
                                      starts_on=starts, ends_on=starts + dt.timedelta(weeks=weeks, days=-1),
                                      modules=modules(*codes), access=access, created_by=officer)
        services.set_staff(klass, instructors=[p for p in staff if p], assistants=[p for p in helpers if p],
                           actor=officer)
        return klass

    # Running: began three weeks ago on today's weekday, so there is a session today.
    start = today - dt.timedelta(weeks=3)
    elderly = make(ELDERLY_CLASS, "elderly", "Nhà văn hóa thôn Đông", 15, start, 8,
                   ("NCT-01", "NCT-02", "NCT-03", "NCT-04", "NCT-05", "NCT-06", "NCT-07"), (hung,), (nam,),
                   wheelchair_access=True, large_print=True)
    elderly.access_notes = "Có kính lúp, sạc dự phòng và điện thoại mẫu cho người chưa có máy."
    services.set_status(elderly, "open", actor=officer)
    _weekly(elderly, start, dt.time(8), dt.time(10), 8)
    _enrol(elderly, people, ELDERLY_LEARNERS, hung)
    services.set_status(elderly, "running", actor=officer)
    upcoming = next((s for s in elderly.sessions if s.date == today + dt.timedelta(weeks=1)), None)
    if upcoming is not None:
        sessions.move_session(upcoming, on=upcoming.date + dt.timedelta(days=1), start=dt.time(14),
                              end=dt.time(16), venue=upcoming.venue, reason="Trùng lịch họp thôn", actor=hung)

    # Open, full, with a waiting list: starts in two days.
    start = today + dt.timedelta(days=2)
    traders = make(TRADER_CLASS, "trader", "Nhà văn hóa thôn Trung Hòa", 6, start, 4,
                   ("4T-01", "4T-02", "4T-03", "4T-04"), (mai,), (huy,))
    services.set_status(traders, "open", actor=officer)
    _weekly(traders, start, dt.time(14), dt.time(16, 30), 4)
    _enrol(traders, people, TRADERS + TRADERS_WAITING, mai)

    # Planned: the disability track at the commune hall, in three weeks.
    start = today + dt.timedelta(weeks=3, days=5)
    disabled = make(DISABILITY_CLASS, "disabled", "Hội trường UBND xã", 12, start, 4,
                    ("NKT-01", "NKT-02", "NKT-03", "NKT-04"), (mai,), (thu,), wheelchair_access=True,
                    large_print=True, sign_language=True, hearing_loop=True)
    disabled.access_notes = "Có phiên dịch viên ngôn ngữ ký hiệu; xe đưa đón khi cần (báo trước hai ngày)."
    _weekly(disabled, start, dt.time(8, 30), dt.time(10, 30), 2)
    _enrol(disabled, people, DISABLED_LEARNERS, officer)

    # Finished: every session in the past.
    start = today - dt.timedelta(weeks=10, days=-3)
    finished = make(FINISHED_CLASS, "general", "Hội trường UBND xã", 40, start, 4, ("CHUNG-01", "CHUNG-02"),
                    (hung,), ())
    services.set_status(finished, "open", actor=officer)
    _weekly(finished, start, dt.time(19), dt.time(21), 4)
    _enrol(finished, people, FINISHED_LEARNERS, hung)
    services.set_status(finished, "running", actor=officer)
    services.set_status(finished, "finished", actor=officer)
    db.session.flush()


if add_classes not in demo.STEPS:
    demo.STEPS.append(add_classes)
