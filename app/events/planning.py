"""Planning an event: the event itself, its stations (from a ready-made topic or the organiser's own) with their
checklist and quiz, their order and materials. The volunteer roster is roster.py."""
from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.catalog.models import Module
from app.catalog.services import current_framework
from app.errors import DomainError
from app.events.kinds import EVENT_KINDS, TOPICS
from app.events.models import Event, Participant, Shift, Station, StationAnswer, StationVisit
from app.extensions import db
from app.people.models import Person
from app.places.models import Commune, Venue
from app.quizzes import keys
from app.quizzes.types import type_of
from app.text import clean_text

QUIZ_SIZE = 3
CHECKLIST_MAX = 12
STEP_MAX = 200
DESCRIPTION_MAX = 2000
MATERIALS_MAX = 30
# What the gate needs whatever the stations are (the materials page lists it before the stations').
GATE_MATERIALS = (
    _l("Máy tính bảng hoặc điện thoại có mạng để đăng ký, đã đăng nhập"),
    _l("Áp phích mã QR đăng ký trước"),
    _l("Giấy in thẻ tham gia hoặc nhãn dán, bút"),
    _l("Phiếu đồng ý bản giấy cho người không dùng điện thoại"),
    _l("Danh sách tình nguyện viên và số điện thoại"),
)
# A station's quiz is answered with one tap per question on a shared tablet: choice questions only.
QUIZ_WIDGETS = frozenset({"choice"})


def _signup_code() -> str:
    return secrets.token_urlsafe(9)[:12]


def _check_event(commune: Commune, *, kind: str, name: str, opens_at: dt.time, closes_at: dt.time,
                 venues: Sequence[Venue], place_note: str) -> tuple[str, str]:
    """Check an event's fields; return its cleaned name and place note, or raise DomainError naming the field."""
    if kind not in EVENT_KINDS:
        raise DomainError(_l("Loại hoạt động không hợp lệ."), field="kind")
    name = clean_text(name or "")
    if len(name) < 3:
        raise DomainError(_l("Hãy đặt tên cho hoạt động."), field="name")
    if len(name) > 160:
        raise DomainError(_l("Tên dài quá 160 ký tự."), field="name")
    if closes_at <= opens_at:
        raise DomainError(_l("Giờ kết thúc phải sau giờ bắt đầu."), field="closes_at")
    if any(v.commune_id != commune.id for v in venues):
        raise DomainError(_l("Địa điểm không thuộc xã này."), field="venues")
    place_note = clean_text(place_note or "")
    if len(place_note) > 255:
        raise DomainError(_l("Phần địa điểm khác dài quá 255 ký tự."), field="place_note")
    return name, place_note


def create_event(commune: Commune, *, kind: str, name: str, held_on: dt.date, opens_at: dt.time,
                 closes_at: dt.time, venues: Sequence[Venue] = (), place_note: str = "",
                 actor: Person | None) -> Event:
    """Create an event of a commune after checking every field, or raise DomainError naming the one at fault."""
    name, place_note = _check_event(commune, kind=kind, name=name, opens_at=opens_at, closes_at=closes_at,
                                    venues=venues, place_note=place_note)
    event = Event(commune_id=commune.id, kind=kind, name=name, held_on=held_on, opens_at=opens_at,
                  closes_at=closes_at, place_note=place_note, signup_code=_signup_code(),
                  board_key=secrets.token_urlsafe(18), created_by_id=actor.id if actor else None)
    event.venues = list(venues)
    db.session.add(event)
    db.session.flush()
    return event


def _checklist(lines: Sequence[str]) -> list[str]:
    steps = [clean_text(str(line)) for line in lines]
    steps = [s for s in steps if s]
    if len(steps) > CHECKLIST_MAX:
        raise DomainError(_l("Mỗi trạm tối đa %(n)s bước.", n=CHECKLIST_MAX), field="checklist")
    if any(len(s) > STEP_MAX for s in steps):
        raise DomainError(_l("Mỗi bước tối đa %(n)s ký tự.", n=STEP_MAX), field="checklist")
    return steps


def draw_quiz(station: Station, rng: random.Random | None = None) -> None:
    """Draw the station's quiz from its module's bank (up to three one-tap questions), or clear it without one."""
    version = station.module.current if station.module is not None else None
    station.quiz_question_ids, station.quiz_orders, station.quiz_keys = [], {}, {}
    if version is None:
        return
    rng = rng or random.Random()
    fit = [q for q in version.questions if type_of(q).widget in QUIZ_WIDGETS]
    chosen = rng.sample(fit, min(QUIZ_SIZE, len(fit)))
    orders = {str(q.id): type_of(q).order(q, rng, True) for q in chosen}
    station.quiz_question_ids = [q.id for q in chosen]
    station.quiz_orders = orders
    station.quiz_keys = keys.draw_keys(orders)


def add_station(event: Event, *, name: str = "", topic: str = "", description: str = "",
                skills: Sequence[str] = (), module: Module | None = None, checklist: Sequence[str] | None = None,
                materials: str = "", venue: Venue | None = None, quiz: bool = True) -> Station:
    """Add a station; a ready-made topic fills in the name, skills, module and checklist the organiser left empty."""
    ready = TOPICS.get(topic) if topic else None
    if topic and ready is None:
        raise DomainError(_l("Chủ đề trạm không hợp lệ."), field="topic")
    if EVENT_KINDS[event.kind].single_station and event.stations:
        raise DomainError(_l("Hoạt động loại này chỉ có một trạm."), field="name")
    name = clean_text(name or "") or (str(ready.name) if ready else "")
    if len(name) < 2:
        raise DomainError(_l("Hãy đặt tên trạm."), field="name")
    if len(name) > 120:
        raise DomainError(_l("Tên trạm dài quá 120 ký tự."), field="name")
    if venue is not None and venue.commune_id != event.commune_id:
        raise DomainError(_l("Địa điểm không thuộc xã này."), field="venue_id")
    if module is None and ready is not None and ready.module:
        module = db.session.scalar(select(Module).where(Module.code == ready.module, Module.active.is_(True)))
    steps = _checklist(checklist if checklist else ([str(s) for s in ready.checklist] if ready else []))
    station = Station(name=name, topic=topic, description=clean_text(description or "", multiline=True),
                      skills=list(skills) or (list(ready.skills) if ready else []), module=module, checklist=steps,
                      materials=clean_text(materials or "", multiline=True), venue=venue,
                      position=len(event.stations) + 1)
    event.stations.append(station)
    if quiz:
        draw_quiz(station)
    db.session.flush()
    return station


# --- the organiser's forms ------------------------------------------------------------------------

@dataclass(frozen=True)
class Teaching:
    """What a single-station event (a weekly session, a mobile point) teaches: a ready-made topic, or a name of the
    organiser's own with a module."""

    topic: str = ""
    name: str = ""
    module: Module | None = None


def _need_place(venues: Sequence[Venue], place_note: str) -> None:
    if not venues and not clean_text(place_note or ""):
        raise DomainError(_l("Hãy chọn địa điểm hoặc ghi nơi tổ chức (ví dụ: Chợ Tiên Minh)."), field="venues")


def plan_event(commune: Commune, *, kind: str, name: str, held_on: dt.date, opens_at: dt.time, closes_at: dt.time,
               venues: Sequence[Venue] = (), place_note: str = "", teaching: Teaching | None = None,
               actor: Person | None) -> Event:
    """Create an event from the organiser's form: it needs a place (a venue or a note), and a weekly session or a
    mobile point gets its one station, what it teaches, in the same step."""
    _need_place(venues, place_note)
    single = kind in EVENT_KINDS and EVENT_KINDS[kind].single_station
    teaching = teaching or Teaching()
    if single and not teaching.topic and not clean_text(teaching.name or ""):
        raise DomainError(_l("Hãy chọn nội dung có sẵn hoặc tự đặt tên nội dung của buổi."), field="topic")
    if single and teaching.module is not None and not teaching.module.active:
        raise DomainError(_l("Học phần này không còn được dùng."), field="module_id")
    event = create_event(commune, kind=kind, name=name, held_on=held_on, opens_at=opens_at, closes_at=closes_at,
                         venues=venues, place_note=place_note, actor=actor)
    if single:
        try:
            add_station(event, topic=teaching.topic, name=teaching.name, module=teaching.module,
                        venue=venues[0] if len(venues) == 1 else None)
        except DomainError as error:  # the station's name is the form's station_name, not the event's name
            raise DomainError(error.message, field="station_name" if error.field == "name" else error.field) from None
    return event


def update_event(event: Event, *, kind: str, name: str, held_on: dt.date, opens_at: dt.time, closes_at: dt.time,
                 venues: Sequence[Venue] = (), place_note: str = "") -> Event:
    """Change an event's details; refuse a single-station kind while it has several stations, and hours that
    would leave a volunteer's shift outside them."""
    name, place_note = _check_event(event.commune, kind=kind, name=name, opens_at=opens_at, closes_at=closes_at,
                                    venues=venues, place_note=place_note)
    _need_place(venues, place_note)
    if EVENT_KINDS[kind].single_station and len(event.stations) > 1:
        raise DomainError(_l("Hoạt động đang có %(n)s trạm, mà loại này chỉ có một trạm.", n=len(event.stations)),
                          field="kind")
    outside = [s for s in event.shifts if s.starts_at < opens_at or s.ends_at > closes_at]
    if outside:
        raise DomainError(_l("Có %(n)s ca tình nguyện viên nằm ngoài giờ mới; hãy sửa các ca đó trước.",
                             n=len(outside)), field="opens_at")
    if held_on != event.held_on and (clash := _booked_elsewhere(event, held_on)) is not None:
        raise DomainError(_l("%(name)s đã có ca trùng giờ ở “%(event)s” ngày đó; hãy sửa ca trước.", name=clash[0],
                             event=clash[1]), field="held_on")
    event.kind, event.name, event.held_on, event.opens_at, event.closes_at = kind, name, held_on, opens_at, closes_at
    event.venues, event.place_note = list(venues), place_note
    db.session.flush()
    return event


def participant_counts(event_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Count each event's participants: registered, and arrived (one query)."""
    if not event_ids:
        return {}
    return {eid: (registered, arrived) for eid, registered, arrived in db.session.execute(
        select(Participant.event_id, func.count(), func.count(Participant.arrived_at))
        .where(Participant.event_id.in_(list(event_ids))).group_by(Participant.event_id))}


def _booked_elsewhere(event: Event, held_on: dt.date) -> tuple[str, str] | None:
    """Name a volunteer of the event with an overlapping shift at another event on that day, and that event."""
    mine, theirs, other = aliased(Shift), aliased(Shift), aliased(Event)
    row = db.session.execute(
        select(Person.full_name, other.name).select_from(mine)
        .join(theirs, theirs.person_id == mine.person_id).join(other, other.id == theirs.event_id)
        .join(Person, Person.id == mine.person_id)
        .where(mine.event_id == event.id, other.id != event.id, other.held_on == held_on,
               theirs.starts_at < mine.ends_at, theirs.ends_at > mine.starts_at).limit(1)).first()
    return (row[0], row[1]) if row is not None else None


def set_signup_open(event: Event, is_open: bool) -> None:
    """Open or close the event's public pre-registration page."""
    event.signup_open = is_open
    db.session.flush()


# --- stations -------------------------------------------------------------------------------------

def visit_counts(event: Event) -> dict[int, int]:
    """Count the visits recorded at each of the event's stations (one query)."""
    return {sid: n for sid, n in db.session.execute(
        select(StationVisit.station_id, func.count()).where(StationVisit.event_id == event.id)
        .group_by(StationVisit.station_id))}


def _visits(station: Station) -> int:
    return db.session.scalar(select(func.count()).select_from(StationVisit)
                             .where(StationVisit.station_id == station.id)) or 0


def _answered(station: Station) -> bool:
    return db.session.scalar(select(StationAnswer.id).join(StationVisit, StationVisit.id == StationAnswer.visit_id)
                             .where(StationVisit.station_id == station.id).limit(1)) is not None


def skill_codes() -> set[str]:
    """Return the skill codes of the framework in force (none before the curriculum is loaded)."""
    framework = current_framework()
    return set(framework.skill_titles()) if framework is not None else set()


def _lines(raw: str, *, most: int, longest: int, field: str) -> str:
    lines = [clean_text(line) for line in (raw or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > most or any(len(line) > longest for line in lines):
        raise DomainError(_l("Tối đa %(most)s dòng, mỗi dòng tối đa %(longest)s ký tự.", most=most, longest=longest),
                          field=field)
    return "\n".join(lines)


def update_station(station: Station, *, name: str, description: str = "", skills: Sequence[str] = (),
                   module: Module | None = None, checklist: Sequence[str] = (), materials: str = "",
                   venue: Venue | None = None, quiz: bool = True, redraw: bool = False) -> Station:
    """Change a station. Once people visited it, its checklist keeps its number of steps (ticks are step numbers);
    once someone answered its quiz, the questions stay as drawn."""
    name = clean_text(name or "")
    if len(name) < 2:
        raise DomainError(_l("Hãy đặt tên trạm."), field="name")
    if len(name) > 120:
        raise DomainError(_l("Tên trạm dài quá 120 ký tự."), field="name")
    description = clean_text(description or "", multiline=True)
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_l("Phần giới thiệu dài quá %(n)s ký tự.", n=DESCRIPTION_MAX), field="description")
    unknown = sorted(set(skills) - (skill_codes() or set(station.skills or [])))
    if unknown:
        raise DomainError(_l("Kỹ năng không có trong khung hiện hành: %(codes)s.", codes=", ".join(unknown)),
                          field="skills")
    if module is not None and not module.active:
        raise DomainError(_l("Học phần này không còn được dùng."), field="module_id")
    if venue is not None and venue.commune_id != station.event.commune_id:
        raise DomainError(_l("Địa điểm không thuộc xã này."), field="venue_id")
    steps = _checklist(checklist)
    if len(steps) != len(station.checklist or []) and (visited := _visits(station)):
        raise DomainError(_l("Đã có %(n)s lượt trải nghiệm ở trạm này: có thể sửa lời từng bước nhưng không thêm, "
                             "bớt bước (các bước đã đánh dấu được ghi theo thứ tự).", n=visited), field="checklist")
    changed_module = (module.id if module else None) != station.module_id
    draw = quiz and (redraw or changed_module or not station.quiz_question_ids)
    clear = not quiz and bool(station.quiz_question_ids)
    if (draw or clear) and station.quiz_question_ids and _answered(station):
        raise DomainError(_l("Đã có người trả lời câu hỏi của trạm này: không đổi được bộ câu hỏi."), field="quiz")
    station.name, station.description, station.skills = name, description, list(dict.fromkeys(skills))
    station.module, station.checklist, station.venue = module, steps, venue
    station.materials = _lines(materials, most=MATERIALS_MAX, longest=STEP_MAX, field="materials")
    if draw:
        draw_quiz(station)
    elif clear:
        station.quiz_question_ids, station.quiz_orders, station.quiz_keys = [], {}, {}
    db.session.flush()
    return station


def remove_station(station: Station) -> None:
    """Remove a station nobody has visited and no volunteer is rostered at; the others close up."""
    if visited := _visits(station):
        raise DomainError(_l("Không xóa được “%(name)s”: đã có %(n)s lượt trải nghiệm ở trạm này.",
                             name=station.name, n=visited), field="station")
    event = station.event
    rostered = [s for s in event.shifts if s.station_id == station.id]
    if rostered:
        raise DomainError(_l("Không xóa được “%(name)s”: còn %(n)s ca tình nguyện viên ở trạm này; hãy xóa hoặc "
                             "đổi các ca đó trước.", name=station.name, n=len(rostered)), field="station")
    event.stations.remove(station)
    for number, kept in enumerate(event.stations, 1):
        kept.position = number
    db.session.flush()


def move_station(station: Station, step: int) -> None:
    """Move a station one place up (step -1) or down (+1) in the event's order; at either end nothing moves."""
    stations = list(station.event.stations)
    here = stations.index(station)
    there = here + (1 if step > 0 else -1)
    if 0 <= there < len(stations):
        stations[here], stations[there] = stations[there], stations[here]
    for number, kept in enumerate(stations, 1):
        kept.position = number
    db.session.flush()
