"""Demo: the commune's 10/10 learning day (Ngày hội toàn dân học tập số) and a "Mỗi tuần một kỹ năng số" session.

The day is held on 10 October of the current year, at the commune hall, with the six ready-made stations and a
volunteer roster (the youth union's organiser Lê Quang Huy at the gate, the instructors at stations, a few more).
When that day is past or today (the demo is usually tried after it), residents are registered (beforehand online,
from a village's list, at the gate), arrive, visit stations and answer the short quizzes, so the live board and the
summary have figures; while it is still ahead, they have only signed up. The weekly session was held on the last
Saturday before today, with its one station and a few visits, so a finished small event is always there too.
Running the step again adds nothing (it looks for the day first).
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from app.demo import services as demo
from app.events import planning, roster, services
from app.events.models import Event, Participant, Station
from app.extensions import db, utcnow
from app.outbox import new_client_id
from app.people.models import Person
from app.places.models import Commune, Venue
from app.vietnam import VIETNAM, local_today

DAY_TOPICS = ("vneid", "vietqr", "scam", "health", "ai", "public_services")
MATERIALS = {
    "vneid": "2 máy tính bảng có mạng\nTờ hướng dẫn các bước cài VNeID (chữ to)\nBàn, 4 ghế",
    "vietqr": "Mã VietQR in sẵn của quầy mẫu\n2 điện thoại đã cài ứng dụng ngân hàng thử\nBàn, 4 ghế",
    "scam": "Loa nhỏ phát cuộc gọi mẫu\nTờ rơi \"5 dấu hiệu lừa đảo\"",
    "health": "Máy tính bảng có mạng\nSố đường dây nóng của trạm y tế xã",
    "ai": "Máy tính xách tay nối màn hình lớn\nThẻ gợi ý câu hỏi mẫu",
    "public_services": "Máy tính bảng có mạng\nDanh sách thủ tục thường dùng của xã",
}
MORNING, NOON = (dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(16, 30))
# (phone, duty, station topic, slot, note)
ROSTER = (
    ("0900000005", "gate", None, MORNING, "Trưởng ban tổ chức; giữ máy in thẻ"),
    ("0910000015", "gate", None, MORNING, ""),
    ("0900000003", "station", "vneid", MORNING, ""),
    ("0900000004", "station", "vietqr", MORNING, ""),
    ("0900000006", "station", "scam", MORNING, ""),
    ("0900000007", "station", "public_services", MORNING, ""),
    ("0910000016", "guide", None, MORNING, "Đón người cao tuổi, người đi xe lăn ở cổng"),
    ("0900000005", "board", None, NOON, "Tổng hợp số liệu cuối ngày"),
    ("0910000015", "gate", None, NOON, ""),
    ("0900000003", "station", "ai", NOON, ""),
    ("0900000004", "station", "health", NOON, ""),
    ("0900000006", "station", "scam", NOON, ""),
)
# Residents who take part in the day: (phone, how they were registered, asked to join a class)
DAY_PEOPLE = (
    ("0910000001", "signup", True), ("0910000002", "signup", False), ("0910000003", "import", True),
    ("0910000004", "import", False), ("0910000005", "gate", False), ("0910000006", "gate", True),
    ("0910000007", "signup", False), ("0910000008", "gate", False), ("0910000009", "import", False),
    ("0910000010", "gate", True), ("0910000011", "signup", False), ("0910000012", "gate", False),
    ("0910000013", "import", False), ("0910000014", "gate", False), ("0910000017", "signup", False),
    ("0910000018", "gate", True), ("0910000019", "signup", False), ("0910000020", "import", False),
)
NOT_COME = "0910000019"  # signed up and did not come
WEEKLY_PEOPLE = ("0910000021", "0910000022", "0910000023", "0910000024", "0910000025")
CONSENT_METHOD = {"signup": "online", "import": "paper", "gate": "verbal"}


def _at(day: dt.date, time: dt.time, minutes: int = 0) -> dt.datetime:
    local = dt.datetime.combine(day, time, tzinfo=VIETNAM) + dt.timedelta(minutes=minutes)
    return local.astimezone(dt.UTC)


def _quiz(station: Station, participant: Participant, volunteer: Person | None, at: dt.datetime,
          rng: random.Random) -> None:
    for question in services.quiz_questions(station):
        fractions = [float(a["fraction"]) for a in question.answers]
        right = fractions.index(max(fractions))
        wrong = next((i for i, f in enumerate(fractions) if f <= 0), right)
        chosen = right if rng.random() < 0.75 else wrong
        key = station.quiz_keys[str(question.id)]["options"][chosen]
        services.answer(station, participant, question.id, key, actor=volunteer, client_id=new_client_id("demo"),
                        at=at)


def _visit(station: Station, participant: Participant, volunteer: Person | None, at: dt.datetime,
           rng: random.Random) -> None:
    steps = len(station.checklist)
    done = list(range(steps)) if rng.random() < 0.7 else list(range(max(1, steps - 1)))
    services.check_in(station, participant, ticks=done, actor=volunteer, client_id=new_client_id("demo"), at=at)
    if station.quiz_question_ids:
        _quiz(station, participant, volunteer, at + dt.timedelta(minutes=4), rng)


def _learning_day(commune: Commune, phones: dict[str, Person], hall: Venue | None, day: dt.date) -> None:
    youth = phones.get("0900000005")
    event = planning.create_event(commune, kind="day", name=f"Ngày hội toàn dân học tập số {day:%d/%m/%Y}",
                                  held_on=day, opens_at=MORNING[0], closes_at=NOON[1],
                                  venues=[hall] if hall else [], place_note="Sân và hội trường UBND xã",
                                  actor=youth)
    stations = {topic: planning.add_station(event, topic=topic, venue=hall, materials=MATERIALS[topic])
                for topic in DAY_TOPICS}
    at_station: dict[str, Person] = {}
    for phone, duty, topic, (start, end), note in ROSTER:
        if phone in phones:
            roster.add_shift(event, phones[phone], duty=duty, station=stations.get(topic or ""), starts_at=start,
                             ends_at=end, note=note, actor=youth)
            if topic:
                at_station.setdefault(topic, phones[phone])
    held = day <= local_today()
    now = utcnow()
    rng = random.Random(1010)
    for index, (phone, source, wants_class) in enumerate(DAY_PEOPLE):
        person = phones.get(phone)
        if person is None:
            continue
        early = source != "gate"
        arrives = _at(day, MORNING[0], 10 + index * 9)
        comes = held and phone != NOT_COME and arrives <= now
        if not early and not comes:
            continue  # nobody registers at the gate of a day still to come
        # Signed up some evenings before (never later than now, when the day is still far ahead).
        registered_at = min(_at(day - dt.timedelta(days=6 - index % 4), dt.time(19, 0), index),
                            now - dt.timedelta(minutes=30 * (index + 1))) if early else None
        participant = services.register(
            event, person, source=source, actor=youth, consent_method=CONSENT_METHOD[source],
            arrived=not early and comes, wants_class=wants_class, now=registered_at or arrives)
        if not comes:
            continue
        if early:
            services.register(event, person, source=source, actor=youth, now=arrives)  # the arrival at the gate
        visited = rng.sample(DAY_TOPICS, rng.randint(1, 4))
        for order, topic in enumerate(visited):
            at = arrives + dt.timedelta(minutes=8 + order * 14)
            if at <= now:
                _visit(stations[topic], participant, at_station.get(topic), at, rng)


def _weekly_session(commune: Commune, phones: dict[str, Person], house: Venue | None, learning_day: dt.date) -> None:
    today = local_today()
    day = today - dt.timedelta(days=(today.weekday() - 5) % 7 or 7)  # the last Saturday before today
    if day == learning_day:  # 10/10 falls on a Saturday: that week's session gave way to the day
        day -= dt.timedelta(days=7)
    instructor = phones.get("0900000003")
    event = planning.plan_event(
        commune, kind="weekly", name="Mỗi tuần một kỹ năng số: Nhận biết cuộc gọi lừa đảo", held_on=day,
        opens_at=dt.time(8, 0), closes_at=dt.time(10, 0), venues=[house] if house else [],
        place_note="" if house else "Nhà văn hóa thôn Đông", teaching=planning.Teaching(topic="scam"),
        actor=phones.get("0900000005"))
    station = event.stations[0]
    station.materials = MATERIALS["scam"]  # the ready-made topic brings no list of its own
    if instructor is not None:
        roster.add_shift(event, instructor, duty="station", station=station, starts_at=dt.time(8, 0),
                         ends_at=dt.time(10, 0), note="", actor=instructor)
    rng = random.Random(7)
    for index, phone in enumerate(WEEKLY_PEOPLE):
        person = phones.get(phone)
        if person is None:
            continue
        arrives = _at(day, dt.time(8, 0), 5 + index * 6)
        participant = services.register(event, person, source="gate", actor=instructor, consent_method="verbal",
                                        now=arrives)
        _visit(station, participant, instructor, arrives + dt.timedelta(minutes=20), rng)


def add_events(commune: Commune) -> None:
    """The 10/10 day of this year and last Saturday's weekly session (once)."""
    day = dt.date(local_today().year, 10, 10)
    if db.session.scalar(select(Event.id).where(Event.commune_id == commune.id, Event.kind == "day",
                                                Event.held_on == day).limit(1)) is not None:
        return
    phones = {p.phone: p for p in db.session.scalars(select(Person).where(Person.commune_id == commune.id))
              if p.phone}
    venues = {v.name: v for v in db.session.scalars(select(Venue).where(Venue.commune_id == commune.id))}
    _learning_day(commune, phones, venues.get("Hội trường UBND xã"), day)
    _weekly_session(commune, phones, venues.get("Nhà văn hóa thôn Đông"), day)
    db.session.flush()


demo.STEPS.append(add_events)
