"""Test data built through the same services the app uses."""
from __future__ import annotations

import itertools
from typing import Any

from app import vietnam
from app.auth import services as auth_services
from app.extensions import db
from app.people import services as people
from app.people.models import Person
from app.places import services as places
from app.places.models import Commune, Village
from app.policy import Role

_phones = itertools.count(1)
COMMUNE_CODES = ("11791", "20767", "541")  # Tiên Minh (Hải Phòng), Việt An (Đà Nẵng), Phù Đổng (Hà Nội)
PIN = "246810"
PASSWORD = "mat-khau-an-toan"


def commune(code: str = COMMUNE_CODES[0]) -> Commune:
    """Add an official commune."""
    return places.add_commune(code)


def village(in_commune: Commune, name: str = "Thôn Đông") -> Village:
    """Add a village."""
    return places.save_village(in_commune, name=name, kind="thon")


def phone() -> str:
    """Return a fresh, valid phone number."""
    return f"09{next(_phones):08d}"


def person(in_commune: Commune, *, name: str = "Nguyễn Thị Hương", role: Role | None = Role.LEARNER,
           village: Village | None = None, role_village: Village | None = None, birth_year: int | None = 1956,
           with_phone: bool = True, account: bool = True, consent: bool = True, **extra: Any) -> Person:
    """Add a person with a role, an account (PIN and password) and consent to learning."""
    p = people.create_person(commune=in_commune, full_name=name, birth_year=birth_year, village=village,
                             phone=phone() if with_phone else None, **extra)
    if consent:
        people.record_consent(p, purpose="learning", method="paper", policy_version="test", recorded_by=None)
    if role is not None:
        people.grant_role(p, role, commune=in_commune, village=role_village)
    if account:
        auth_services.set_pin(p, PIN, actor=None)
        if with_phone:
            auth_services.set_password(p, PASSWORD, actor=None)
    db.session.flush()
    return p


def artifact(name: str):
    """Return a path for a screenshot or other test artefact (kept under instance/test-artifacts)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "instance" / "test-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


# --- classes ---------------------------------------------------------------------------------

def venue(in_commune: Commune, name: str = "Nhà văn hóa thôn Đông", *, capacity: int = 30,
          in_village: Village | None = None) -> Any:
    """Add a venue (or return the commune's venue of that name)."""
    from sqlalchemy import select

    from app.places.models import Venue

    existing = db.session.scalar(select(Venue).where(Venue.commune_id == in_commune.id, Venue.name == name))
    if existing is not None:
        return existing
    return places.save_venue(in_commune, values={"name": name, "capacity": capacity, "tablets": 5, "active": True,
                                                 "village_id": in_village.id if in_village else None})


def school_class(in_commune: Commune, *, title: str = "Lớp điện thoại thông minh cho người cao tuổi",
                 at: Any = None, capacity: int = 10, starts_on: Any = None, weeks: int = 12,
                 instructors: tuple[Person, ...] = (), assistants: tuple[Person, ...] = (), status: str = "open",
                 audience: str = "elderly", modules: tuple[Any, ...] = ()) -> Any:
    """Add a class (open by default) running for some weeks from `starts_on` (default: today in Vietnam)."""
    from datetime import timedelta

    from app.classes import services as classes

    start = starts_on or vietnam.local_today()
    klass = classes.create_class(in_commune, title=title, audience=audience, venue=at or venue(in_commune),
                                 capacity=capacity, starts_on=start, ends_on=start + timedelta(weeks=weeks),
                                 modules=modules)
    if not instructors and status != "planned":
        instructors = (person(in_commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR),)
    if instructors or assistants:
        classes.set_staff(klass, instructors=instructors, assistants=assistants)
    if status != "planned":
        if status in ("finished",):
            classes.set_status(klass, "running")
        classes.set_status(klass, status)
    return klass


# --- attendance ------------------------------------------------------------------------------

def class_session(klass: Any, *, on: Any = None, start: Any = None, end: Any = None) -> Any:
    """Add a session to a class (default: its first day, 08:00–10:00, at its venue)."""
    from datetime import time

    from app.classes import sessions

    return sessions.add_session(klass, on=on or klass.starts_on, start=start or time(8), end=end or time(10),
                                venue=klass.venue)


def session_now(klass: Any, *, started_minutes_ago: int = 20, lasts_minutes: int = 120) -> Any:
    """Add a session today (Vietnam time) that started a little while ago, kept within today's date."""
    from datetime import datetime, time, timedelta


    now = vietnam.local_now().replace(second=0, microsecond=0, tzinfo=None)
    midnight = datetime.combine(now.date(), time())
    start = max(now - timedelta(minutes=started_minutes_ago), midnight)
    end = min(start + timedelta(minutes=lasts_minutes), midnight + timedelta(hours=23, minutes=59))
    return class_session(klass, on=now.date(), start=start.time(), end=end.time())


def enrol_learners(klass: Any, count: int, *, village: Village | None = None) -> list[Any]:
    """Enrol `count` learners with distinct Vietnamese names (the class needs the seats)."""
    from app.classes import enrolment
    from app.demo.services import GIVEN, MIDDLE, SURNAMES

    rows = []
    for i in range(count):
        gender = ("female", "male")[i % 2]
        name = (f"{SURNAMES[i % len(SURNAMES)]} {MIDDLE[gender][i % len(MIDDLE[gender])]} "
                f"{GIVEN[gender][(i // 2) % len(GIVEN[gender])]}")
        learner = person(klass.commune, name=name, village=village, birth_year=1940 + i % 40)
        rows.append(enrolment.enrol(klass, learner, source="staff"))
    return rows
