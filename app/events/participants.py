"""The list of an event's participants: found by name without diacritics or by badge, filtered by village and by
whether they came, a page at a time, with the stations each completed counted in the same query; and the same list
as a spreadsheet."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select

from app import vietnam
from app.events.kinds import SOURCES
from app.events.models import Event, Participant, StationVisit
from app.events.services import clean_code
from app.extensions import db
from app.people.models import Person
from app.places.models import Village

PAGE_SIZE = 50
QUERY_MAX = 80
STATUSES = {"arrived": _l("Đã đến"), "waiting": _l("Chưa đến")}


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to: a name or badge code, a village, arrived or not yet."""

    query: str = ""
    village_id: int | None = None
    status: str = ""

    @classmethod
    def read(cls, query: Any, village_id: int | None, status: Any) -> Filters:
        """Take the filters as sent, dropping what cannot be one."""
        text = str(query or "").strip()[:QUERY_MAX]
        return cls(text, village_id, status if status in STATUSES else "")


@dataclass(frozen=True)
class Line:
    """One participant as the list shows them."""

    id: int
    full_name: str
    badge_code: str
    village: str | None
    birth_year: int | None
    phone: str | None
    source: str
    registered_at: dt.datetime
    arrived_at: dt.datetime | None
    completed: int
    wants_class: bool


@dataclass(frozen=True)
class Page:
    """One page of the list, with what the pager needs."""

    items: list[Line]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _where(event: Event, filters: Filters) -> list[Any]:
    conditions: list[Any] = [Participant.event_id == event.id]
    if filters.query:
        found = [Person.name_search.contains(vietnam.search_key(filters.query), autoescape=True)]
        code = clean_code(filters.query)
        if code and len(code) <= 8:
            found.append(Participant.badge_code == code)
        conditions.append(or_(*found))
    if filters.village_id:
        conditions.append(Participant.village_id == filters.village_id)
    if filters.status == "arrived":
        conditions.append(Participant.arrived_at.is_not(None))
    elif filters.status == "waiting":
        conditions.append(Participant.arrived_at.is_(None))
    return conditions


def _lines(event: Event, filters: Filters) -> Select[*tuple[Any, ...]]:
    completed = (select(StationVisit.participant_id, func.count().label("n"))
                 .where(StationVisit.event_id == event.id, StationVisit.completed.is_(True))
                 .group_by(StationVisit.participant_id).subquery())
    return (select(Participant.id, Person.full_name, Participant.badge_code, Village.name, Participant.birth_year,
                   Person.phone, Participant.source, Participant.registered_at, Participant.arrived_at,
                   func.coalesce(completed.c.n, 0), Participant.wants_class)
            .join(Person, Person.id == Participant.person_id)
            .outerjoin(Village, Village.id == Participant.village_id)
            .outerjoin(completed, completed.c.participant_id == Participant.id)
            .where(*_where(event, filters)).order_by(Person.name_search, Participant.id))


def page(event: Event, filters: Filters, number: int = 1, per_page: int = PAGE_SIZE) -> Page:
    """Return one page of the event's participants (two queries, however many there are)."""
    total = db.session.scalar(select(func.count()).select_from(Participant)
                              .join(Person, Person.id == Participant.person_id).where(*_where(event, filters))) or 0
    last = max(1, math.ceil(total / per_page))
    number = min(max(1, number), last)
    rows = db.session.execute(_lines(event, filters).limit(per_page).offset((number - 1) * per_page))
    return Page([Line(*row) for row in rows], total, number, per_page)


EXPORT_HEADERS = (_l("Mã thẻ"), _l("Họ và tên"), _l("Năm sinh"), _l("Thôn/Tổ dân phố"), _l("Số điện thoại"),
                  _l("Cách đăng ký"), _l("Đăng ký lúc"), _l("Đến lúc"), _l("Số trạm đã hoàn thành"),
                  _l("Muốn học lớp"))


def export(event: Event, filters: Filters) -> tuple[list[str], Iterator[Sequence[Any]]]:
    """Return the headers and rows of the list as a spreadsheet (every page, in one query)."""
    def rows() -> Iterator[Sequence[Any]]:
        for row in db.session.execute(_lines(event, filters)):
            line = Line(*row)
            yield (line.badge_code, line.full_name, line.birth_year, line.village or "", line.phone or "",
                   str(SOURCES.get(line.source, line.source)), line.registered_at, line.arrived_at, line.completed,
                   line.wants_class)
    return [str(h) for h in EXPORT_HEADERS], rows()


def export_name(event: Event) -> str:
    """Name the export after the event."""
    return str(_("Người tham gia - %(event)s", event=event.name))
