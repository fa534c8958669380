"""The live board's figures: who has come, who is at each station now, by village, audience and age band, stations
completed and basic digital skills reached today, as plain values for the venue's television.

Five SQL aggregates make a snapshot, whatever the number of participants. Nothing names a person: groups of one to
four people show as "<5" (the commune reports' rule, app/indicators.py), and the disabled audience is never shown
(sensitive data). Boards poll every few seconds, so each process keeps a snapshot for a couple of seconds.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, distinct, func, literal, select

from app.certificates import milestones
from app.certificates.models import SkillMilestone
from app.events.models import Event, Participant, Station, StationVisit
from app.extensions import db, utcnow
from app.indicators import AGE_BAND_LABELS, AGE_BANDS, SUPPRESS_BELOW
from app.people.audiences import ELDERLY_AGE, LABELS, STORED, Audience
from app.people.models import PersonTag
from app.places.models import Village
from app.vietnam import VIETNAM, search_key

WINDOW = dt.timedelta(minutes=15)  # "now at a station": checked in there within the last quarter of an hour
CACHE_SECONDS = 2.0
SMALL = "<5"  # a group of 1 to 4 people
HIDDEN = "≥5"  # a larger group hidden so that a small one cannot be worked out from the total
UNKNOWN_VILLAGE = _l("Chưa rõ thôn")
UNKNOWN_AGE = _l("Chưa rõ năm sinh")
# Shown audiences: the elderly (from the birth year) and the stored tags. Never the disabled: sensitive data.
AUDIENCES = tuple(a for a in (Audience.ELDERLY, *STORED) if a is not Audience.DISABLED)

Row = dict[str, Any]


def snapshot(event: Event, now: dt.datetime | None = None) -> dict[str, Any]:
    """Return the event's figures as plain JSON values, with a `version` that changes when any figure does."""
    now = now or utcnow()
    people = _participants(event)
    stations = _stations(event, now)
    figures: dict[str, Any] = {
        "event": {"id": event.id, "name": event.name},
        "totals": {"arrived": people.arrived, "expected": people.registered - people.arrived,
                   "now": sum(s["now"] for s in stations), "visits": sum(s["visits"] for s in stations),
                   "completed": sum(s["completed"] for s in stations), "basic_today": _basic_today(event)},
        "stations": stations,
        "villages": _hide_small(_villages(event, people.no_village), partition=True),
        "audiences": _hide_small(_audiences(event, people.elderly), partition=False),
        "age_bands": _hide_small(people.bands, partition=True),
        "window_minutes": int(WINDOW.total_seconds() // 60),
    }
    encoded = json.dumps(figures, sort_keys=True, ensure_ascii=False).encode()
    local = now.astimezone(VIETNAM)
    return {**figures, "version": hashlib.sha256(encoded).hexdigest()[:16],
            "as_of": local.isoformat(timespec="seconds"), "as_of_time": local.strftime("%H:%M:%S")}


def _born(year: int, low: int, high: int | None) -> ColumnElement[bool]:
    """A participant aged low to high (or more, without high) in the event's year."""
    condition = Participant.birth_year <= year - low
    return condition & (Participant.birth_year >= year - high) if high is not None else condition


@dataclass(frozen=True)
class _People:
    arrived: int
    registered: int
    elderly: int  # among those who came
    no_village: int  # among those who came
    bands: list[Row]


def _participants(event: Event) -> _People:
    """Arrived, signed up, the elderly, no village, and the age bands of those who came: one aggregate."""
    year = event.held_on.year
    came = Participant.arrived_at.is_not(None)

    def arrived(condition: ColumnElement[bool]) -> Any:
        return func.count(case((and_(came, condition), literal(1))))

    row = db.session.execute(select(
        func.count(Participant.arrived_at), func.count(),
        arrived(Participant.birth_year <= year - ELDERLY_AGE),
        arrived(Participant.village_id.is_(None)),
        *(arrived(_born(year, low, high)) for _key, low, high in AGE_BANDS),
    ).where(Participant.event_id == event.id)).one()
    came_total, registered, elderly, no_village, *in_bands = (int(n or 0) for n in row)
    bands: list[Row] = [{"key": key, "name": str(AGE_BAND_LABELS[key]), "count": n}
                        for (key, _low, _high), n in zip(AGE_BANDS, in_bands, strict=True)]
    unknown = came_total - sum(in_bands)  # no birth year, or one the bands do not cover
    if unknown:
        bands.append({"key": "unknown", "name": str(UNKNOWN_AGE), "count": unknown})
    return _People(came_total, registered, elderly, no_village, bands)


def _villages(event: Event, no_village: int) -> list[Row]:
    """Every village of the commune with the participants from it who have come, then those of no known village."""
    came = (select(Participant.village_id, func.count().label("n"))
            .where(Participant.event_id == event.id, Participant.arrived_at.is_not(None))
            .group_by(Participant.village_id).subquery())
    rows = db.session.execute(
        select(Village.id, Village.name, func.coalesce(came.c.n, 0))
        .outerjoin(came, came.c.village_id == Village.id)
        .where(Village.commune_id == event.commune_id))
    # Sorted here, as people read them whatever the database's collation: Đông beside Dương (not after Tây), and
    # "Tổ 2" before "Tổ 10".
    found: list[Row] = [{"key": f"v{vid}", "name": name, "count": int(n)}
                        for vid, name, n in sorted(rows, key=lambda r: (_reading_order(r[1]), r[0]))]
    if no_village:
        found.append({"key": "v0", "name": str(UNKNOWN_VILLAGE), "count": no_village})
    return found


def _reading_order(name: str) -> list[tuple[int, str]]:
    """Sort a name without diacritics, its numbers by value."""
    return [(int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", search_key(name))]


def _audiences(event: Event, elderly: int) -> list[Row]:
    """The shown audiences among the participants who have come (a person may be in several)."""
    tags = [a.value for a in AUDIENCES if a in STORED]
    counts = dict(db.session.execute(
        select(PersonTag.tag, func.count(distinct(Participant.id)))
        .join(Participant, Participant.person_id == PersonTag.person_id)
        .where(Participant.event_id == event.id, Participant.arrived_at.is_not(None), PersonTag.tag.in_(tags))
        .group_by(PersonTag.tag)).all())
    counts[Audience.ELDERLY.value] = elderly
    return [{"key": a.value, "name": str(LABELS[a]), "count": int(counts.get(a.value, 0))} for a in AUDIENCES]


def _stations(event: Event, now: dt.datetime) -> list[Row]:
    """Each station's visits now (within WINDOW), in all, and completed (every step of its checklist ticked)."""
    recent = and_(StationVisit.visited_at >= now - WINDOW, StationVisit.visited_at <= now)
    visits = (select(StationVisit.station_id, func.count().label("visits"),
                     func.count(case((StationVisit.completed.is_(True), literal(1)))).label("completed"),
                     func.count(case((recent, literal(1)))).label("now"))
              .where(StationVisit.event_id == event.id).group_by(StationVisit.station_id).subquery())
    rows = db.session.execute(
        select(Station.id, Station.name, func.coalesce(visits.c.now, 0), func.coalesce(visits.c.visits, 0),
               func.coalesce(visits.c.completed, 0))
        .outerjoin(visits, visits.c.station_id == Station.id)
        .where(Station.event_id == event.id).order_by(Station.position, Station.id))
    return [{"key": f"s{sid}", "name": name, "now": int(now_), "visits": int(total), "completed": int(done)}
            for sid, name, now_, total, done in rows]


def _basic_today(event: Event) -> int:
    """Participants who have come and reached "basic digital skills" on the event's day (Vietnam time)."""
    start = dt.datetime.combine(event.held_on, dt.time(), VIETNAM).astimezone(dt.UTC)
    return int(db.session.scalar(
        select(func.count(distinct(SkillMilestone.person_id)))
        .join(Participant, Participant.person_id == SkillMilestone.person_id)
        .where(Participant.event_id == event.id, Participant.arrived_at.is_not(None),
               SkillMilestone.milestone == milestones.BASIC, SkillMilestone.reached_at >= start,
               SkillMilestone.reached_at < start + dt.timedelta(days=1))) or 0)


def _hide_small(rows: list[Row], *, partition: bool) -> list[Row]:
    """Show 1 to 4 people as "<5". In a partition of the total (villages, age bands) a single small group could be
    worked out from the others, so the next smallest group is hidden too (as "≥5": it is that large)."""
    small = {r["key"] for r in rows if 0 < r["count"] < SUPPRESS_BELOW}
    others = sorted((r for r in rows if r["count"] >= SUPPRESS_BELOW), key=lambda r: r["count"])
    also = others[0]["key"] if partition and len(small) == 1 and others else None
    return [{**r, "count": SMALL if r["key"] in small else HIDDEN if r["key"] == also else r["count"]}
            for r in rows]


# --- a short per-process memory --------------------------------------------------------------------

_cache: dict[tuple[int, str, str], tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()


def board(event_id: int, board_key: str, *, locale: str, seconds: float = CACHE_SECONDS,
          now: dt.datetime | None = None) -> dict[str, Any] | None:
    """Return the event's snapshot, computed at most once every `seconds` in this process for one language; None
    when the event is gone or its board key is no longer `board_key`.

    The key is part of the memory's key: a new key (or a new event that reuses an id) never sees an old snapshot.
    Callers must not change what is returned: other requests share it.
    """
    key, clock = (event_id, board_key, locale), time.monotonic()
    with _lock:
        kept = _cache.get(key)
    if kept is not None and kept[0] > clock:
        return kept[1]
    event = db.session.get(Event, event_id)
    if event is None or not hmac.compare_digest(event.board_key.encode(), board_key.encode()):
        return None
    data = snapshot(event, now)
    if seconds > 0:
        with _lock:
            for old in [k for k, (until, _data) in _cache.items() if until <= clock]:
                del _cache[old]
            _cache[key] = (clock + seconds, data)
    return data


def replace_board_key(event: Event) -> str:
    """Give the event a new board key: links with the old one stop opening the board (streams end within a minute)."""
    event.board_key = secrets.token_urlsafe(18)
    db.session.flush()
    return event.board_key
