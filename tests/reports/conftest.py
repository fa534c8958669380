"""A small commune built by hand, whose right answers the report tests write down themselves.

Three villages (Đông, Tây, Nam) and 15 residents with set birth years, genders and audience tags; a disability
record; households; classes with sessions in 2025 and 2026 (one class cancelled, some sessions cancelled);
enrolments (enrolled and withdrawn); confirmed and merely eligible completions whose skills do or do not cover the
framework's basic set; one erased resident; and a second commune whose people and classes must never count.

Who completed the basic set (every skill of `BASIC`, across confirmed completions, by the period's end, adult):
  An (Đông, F, 1950) 2025-03-10 · Chi (Đông, F, 1995, public staff) 2025-11-20 · Nga (Nam, F, 1940) at
  2026-01-01 03:00 Vietnam time (still 2025 in UTC) · Hà (Tây, F, 1962, trader, disabled) two halves in Jan and
  Feb 2026 · Phúc (no village, M, 1985, public staff) one half in 2025, the other 2026-04-10 · Bình (Đông, M, 1980,
  trader) 2026-05-05 · Oanh (Đông, F, no birth year) 2026-08-01.
Who did not: Dũng (one skill short), Khánh (16 years old in 2026), Minh (eligible, never confirmed), Quang (erased),
  Vy (another commune).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.catalog import services as catalog
from app.catalog.models import Module
from app.certificates.models import Completion
from app.classes.models import Class, ClassSession, Enrolment
from app.extensions import db
from app.indicators import REGISTRY, Population, Unit
from app.people import services as people
from app.people.models import Household, Person
from app.places.models import Commune, Village
from app.reports.indicators import Manual
from tests import factories

BASIC = ("0.1", "0.2", "1.1", "1.2", "2.1", "2.3", "2.6", "4.2", "4.4", "5.2")  # residents-1.0.yaml
FIRST_HALF, SECOND_HALF = BASIC[:5], BASIC[5:]
SECRET = "test-data-key"


def utc(year: int, month: int, day: int, hour: int = 3) -> dt.datetime:
    """A moment in UTC (03:00 UTC is 10:00 in Vietnam, safely inside the same day)."""
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


@dataclass
class World:
    """The hand-built commune: its villages and residents by given name, its classes by key."""

    commune: Commune
    other: Commune
    villages: dict[str, Village]
    people: dict[str, Person]
    classes: dict[str, Class]
    households: list[Household] = field(default_factory=list)

    def village_id(self, name: str) -> int:
        return self.villages[name].id


def complete(person: Person, module: Module, skills: tuple[str, ...] | list[str], confirmed: dt.datetime | None,
             commune_id: int | None = None) -> Completion:
    """Add a completion of a module showing the skills, confirmed at a moment (None: merely eligible)."""
    version = module.current
    assert version is not None
    row = Completion(person_id=person.id, commune_id=commune_id or person.commune_id, module_id=module.id,
                     module_version_id=version.id, framework_version_id=version.framework_version_id,
                     skills=list(skills), status="confirmed" if confirmed else "eligible",
                     eligible_at=confirmed or utc(2026, 1, 5), confirmed_at=confirmed)
    db.session.add(row)
    return row


def add_class(commune: Commune, title: str, audience: str, venue: Any, status: str, starts_on: dt.date,
              sessions: list[tuple[dt.date, str]]) -> Class:
    """Add a class with dated sessions (each scheduled or cancelled)."""
    klass = Class(commune_id=commune.id, title=title, audience=audience, status=status, venue=venue, capacity=30,
                  starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=180))
    db.session.add(klass)
    db.session.flush()
    for on, state in sessions:
        db.session.add(ClassSession(class_id=klass.id, date=on, start_time=dt.time(8), end_time=dt.time(10),
                                    venue_id=venue.id if venue else None, status=state))
    return klass


def enrol(klass: Class, person: Person, status: str = "enrolled") -> None:
    """Add an enrolment row (the classes feature's own tests cover how one is made)."""
    db.session.add(Enrolment(class_id=klass.id, person_id=person.id, status=status, source="staff"))


# (given name, village or None, birth year, gender, tags)
RESIDENTS: tuple[tuple[str, str | None, int | None, str, tuple[str, ...]], ...] = (
    ("An", "Đông", 1950, "female", ()),
    ("Bình", "Đông", 1980, "male", ("trader",)),
    ("Chi", "Đông", 1995, "female", ("public_staff",)),
    ("Dũng", "Tây", 1970, "male", ("public_staff",)),
    ("Hà", "Tây", 1962, "female", ("trader",)),
    ("Khánh", "Tây", 2010, "male", ("pupil",)),
    ("Lan", "Nam", 2011, "female", ("pupil",)),
    ("Minh", "Nam", 1990, "male", ()),
    ("Nga", "Nam", 1940, "female", ()),
    ("Oanh", "Đông", None, "female", ()),
    ("Phúc", None, 1985, "male", ("public_staff",)),
    ("Quang", "Tây", 1975, "male", ()),
    ("Sơn", "Tây", 2000, "male", ()),
    ("Tâm", "Đông", 1958, "female", ()),
    ("Uyên", "Nam", 1999, "female", ("public_staff",)),
)


@pytest.fixture
def world(curriculum: Any) -> World:
    """Build the hand-made commune (see the module's docstring) and commit it."""
    commune = factories.commune()
    other = factories.commune(factories.COMMUNE_CODES[1])
    villages = {name: factories.village(commune, f"Thôn {name}") for name in ("Đông", "Tây", "Nam")}
    far = factories.village(other, "Thôn Bắc")
    homes = {name: people.create_household(village=villages[name], address=f"Số 1 thôn {name}")
             for name in villages}
    residents: dict[str, Person] = {}
    for given, village, born, gender, tags in RESIDENTS:
        residents[given] = people.create_person(
            commune=commune, full_name=f"Nguyễn Thị {given}" if gender == "female" else f"Trần Văn {given}",
            birth_year=born, gender=gender, tags=tags, village=villages[village] if village else None,
            household=homes[village] if village in ("Đông", "Tây") else None)
    residents["Vy"] = people.create_person(commune=other, full_name="Lê Thị Vy", birth_year=1980, gender="female",
                                           village=far)
    hà = residents["Hà"]
    people.record_consent(hà, purpose="disability", method="paper", policy_version="t", recorded_by=None)
    people.set_disability(hà, kinds=["vision"], needs="", actor=None, secret=SECRET)

    nct01, nct05, nct06 = (catalog.module_by_code(c) for c in ("NCT-01", "NCT-05", "NCT-06"))
    assert nct01 and nct05 and nct06
    r = residents
    complete(r["An"], nct01, [*BASIC, "6.1"], utc(2025, 3, 10))
    complete(r["Chi"], nct01, BASIC, utc(2025, 11, 20))
    complete(r["Chi"], nct06, ["6.1"], utc(2026, 6, 1))
    complete(r["Nga"], nct01, BASIC, utc(2025, 12, 31, hour=20))  # 2026-01-01 03:00 in Vietnam
    complete(r["Hà"], nct01, FIRST_HALF, utc(2026, 1, 20))
    complete(r["Hà"], nct05, SECOND_HALF, utc(2026, 2, 10))
    complete(r["Phúc"], nct01, FIRST_HALF, utc(2025, 6, 1))
    complete(r["Phúc"], nct05, SECOND_HALF, utc(2026, 4, 10))
    complete(r["Bình"], nct01, BASIC, utc(2026, 5, 5))
    complete(r["Oanh"], nct01, BASIC, utc(2026, 8, 1))
    complete(r["Dũng"], nct01, BASIC[:-1], utc(2025, 5, 1))  # one skill short
    complete(r["Khánh"], nct01, [*BASIC, "6.2"], utc(2026, 3, 15))  # a pupil: AI and safety, but not an adult
    complete(r["Lan"], nct01, ["4.1"], utc(2025, 10, 1))
    complete(r["Lan"], nct05, ["6.1"], utc(2026, 9, 1))
    complete(r["Minh"], nct01, [*BASIC, "6.3"], None)  # eligible, never confirmed
    complete(r["Quang"], nct01, [*BASIC, "6.1"], utc(2025, 2, 1))
    complete(r["Vy"], nct01, [*BASIC, "6.1"], utc(2025, 2, 1))
    db.session.flush()

    east = factories.venue(commune, "Nhà văn hóa thôn Đông", in_village=villages["Đông"])
    west = factories.venue(commune, "Nhà văn hóa thôn Tây", in_village=villages["Tây"])
    classes = {
        # Sessions in both years: held in 2025 and in 2026.
        "phone": add_class(commune, "Lớp điện thoại cho người cao tuổi", "elderly", east, "finished",
                           dt.date(2025, 11, 1), [(dt.date(2025, 11, 10), "scheduled"),
                                                  (dt.date(2026, 1, 12), "scheduled")]),
        "public": add_class(commune, "Lớp dịch vụ công trực tuyến", "general", west, "running",
                            dt.date(2026, 3, 1), [(dt.date(2026, 3, 5), "scheduled"),
                                                  (dt.date(2026, 3, 12), "cancelled")]),
        "cancelled": add_class(commune, "Lớp tiểu thương đã hủy", "trader", east, "cancelled",
                               dt.date(2026, 4, 1), [(dt.date(2026, 4, 2), "scheduled")]),
        "no_sessions": add_class(commune, "Lớp học sinh chỉ có buổi hủy", "pupil", west, "open",
                                 dt.date(2026, 5, 1), [(dt.date(2026, 5, 2), "cancelled")]),
        "staff": add_class(commune, "Lớp an toàn số cho cán bộ", "public_staff", None, "finished",
                           dt.date(2025, 6, 1), [(dt.date(2025, 6, 2), "scheduled")]),
        "elsewhere": add_class(other, "Lớp ở xã khác", "general", None, "running", dt.date(2026, 2, 1),
                               [(dt.date(2026, 2, 2), "scheduled")]),
    }
    db.session.flush()
    c = classes
    enrol(c["phone"], r["An"])
    enrol(c["phone"], r["Tâm"])
    enrol(c["phone"], r["Sơn"], "withdrawn")
    enrol(c["public"], r["Bình"])
    enrol(c["public"], r["Hà"])
    enrol(c["public"], r["Tâm"])  # in two classes: one learner
    enrol(c["public"], r["Quang"])  # erased below
    enrol(c["public"], r["Vy"])  # lives in the other commune
    enrol(c["public"], r["Minh"], "waitlisted")
    enrol(c["cancelled"], r["Uyên"])
    enrol(c["no_sessions"], r["Lan"])
    enrol(c["staff"], r["Chi"])
    enrol(c["elsewhere"], r["Vy"])
    db.session.flush()
    people.erase_person(r["Quang"], actor=None)
    db.session.commit()
    return World(commune, other, villages, residents, classes, list(homes.values()))


# Hand-entered indicators of the test's own: the real ones become computed as features record what they count
# (door-to-door visits, phones, digital families), so the rules of hand entry are tested on indicators that stay
# entered by hand whatever features are built.
class _StockFigure(Manual):
    code = "test_stock"
    name = "Một số liệu cộng dồn (thử)"
    order = 900
    population = Population.ADULTS
    cumulative = True


class _FlowFigure(Manual):
    code = "test_flow"
    name = "Một số liệu phát sinh trong kỳ (thử)"
    order = 901


class _HouseholdStock(Manual):
    code = "test_households"
    name = "Hộ gia đình (thử)"
    order = 902
    unit = Unit.HOUSEHOLDS
    population = Population.HOUSEHOLDS
    cumulative = True


class _Unentered(Manual):
    code = "test_unentered"
    name = "Chưa ai nhập (thử)"
    order = 903
    population = Population.ADULTS
    cumulative = True


@pytest.fixture
def manual_indicators(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the test's own hand-entered indicators for one test."""
    for indicator in (_StockFigure, _FlowFigure, _HouseholdStock, _Unentered):
        monkeypatch.setitem(REGISTRY, indicator.code, indicator)
