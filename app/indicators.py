"""The movement's indicators as a registry: each is one class with a code, names, a unit and how it is computed.

Features register the indicators their data answers (`certificates` the adults who completed the basic digital
skills, `classes` the classes held and learners trained); `reports` registers those entered by hand. Reports and
the dashboard only ever read `REGISTRY`, so a new indicator is one class in the feature that owns its data.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

ADULT_AGE = 18  # "người trưởng thành"; the plans' VNeID target counts from 16
PERIOD_PATTERN = re.compile(r"^\s*(\d{4})(?:\s*-\s*[Qq]([1-4]))?\s*$")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a calendar year, or one quarter of it."""

    year: int
    quarter: int = 0  # 0: the whole year

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "2026" or "2026-Q3"; raise ValueError for anything else."""
        match = PERIOD_PATTERN.match(text or "")
        if not match or not 2000 <= int(match.group(1)) <= 2100:
            raise ValueError(text)
        return cls(int(match.group(1)), int(match.group(2) or 0))

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2 if self.quarter else 1, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        if not self.quarter or self.quarter == 4:
            return dt.date(self.year + 1, 1, 1)
        return dt.date(self.year, 3 * self.quarter + 1, 1)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def label(self) -> str:
        """The period as the report names it: "năm 2026", "quý III năm 2026"."""
        if not self.quarter:
            return str(_l("năm %(year)s", year=self.year))
        return str(_l("quý %(quarter)s năm %(year)s", quarter=("I", "II", "III", "IV")[self.quarter - 1],
                      year=self.year))

    def same_last_year(self) -> Period:
        return Period(self.year - 1, self.quarter)

    def started(self, today: dt.date) -> bool:
        return self.start <= today


class Population(StrEnum):
    """Who a rate is out of: counts entered per village and year by the officer."""

    ADULTS = "adults"
    AGED_16 = "aged_16"
    HOUSEHOLDS = "households"
    PUBLIC_STAFF = "public_staff"
    ENTERPRISE_WORKERS = "enterprise_workers"
    PUPILS = "pupils"


POPULATION_LABELS = {
    Population.ADULTS: _l("Người trưởng thành (từ 18 tuổi)"),
    Population.AGED_16: _l("Công dân từ 16 tuổi"),
    Population.HOUSEHOLDS: _l("Hộ gia đình"),
    Population.PUBLIC_STAFF: _l("Cán bộ, công chức, viên chức"),
    Population.ENTERPRISE_WORKERS: _l("Người lao động trong doanh nghiệp, hợp tác xã"),
    Population.PUPILS: _l("Học sinh"),
}


class Unit(StrEnum):
    """What an indicator counts."""

    PEOPLE = "people"
    HOUSEHOLDS = "households"
    CLASSES = "classes"
    ITEMS = "items"
    STALLS = "stalls"


UNIT_LABELS = {Unit.PEOPLE: _l("người"), Unit.HOUSEHOLDS: _l("hộ"), Unit.CLASSES: _l("lớp"),
               Unit.ITEMS: _l("bài, chuyên mục"), Unit.STALLS: _l("quầy")}


class Dimension(StrEnum):
    """How a figure can be broken down; `None` as a key means "not recorded"."""

    VILLAGE = "village"
    AUDIENCE = "audience"
    GENDER = "gender"
    AGE_BAND = "age_band"


DIMENSION_LABELS = {Dimension.VILLAGE: _l("Theo thôn, tổ dân phố"), Dimension.AUDIENCE: _l("Theo nhóm đối tượng"),
                    Dimension.GENDER: _l("Theo giới tính"), Dimension.AGE_BAND: _l("Theo độ tuổi")}

# Age bands as the plans speak of them: youth, working age, the elderly (60+).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (("under_35", 0, 34), ("35_59", 35, 59), ("60_plus", 60, None))
AGE_BAND_LABELS = {"under_35": _l("Dưới 35 tuổi"), "35_59": _l("Từ 35 đến 59 tuổi"), "60_plus": _l("Từ 60 tuổi")}

# A figure for a group this small could point at a person (disability above all): shown as "<5".
SUPPRESS_BELOW = 5

Key = int | str | None
Counts = dict[tuple[int, Key], int]  # (commune id, group key) -> count


class Indicator:
    """One figure the movement reports. Subclasses set the class variables and, unless entered by hand, `count`."""

    code: ClassVar[str]
    name: ClassVar[LazyString]
    unit: ClassVar[Unit] = Unit.PEOPLE
    order: ClassVar[int] = 100
    population: ClassVar[Population | None] = None  # set: the figure is also a rate out of that population
    # True: a running total up to the period's end (adults who have completed); False: what happened in the period.
    cumulative: ClassVar[bool] = False
    manual: ClassVar[bool] = False  # entered by hand per period (the app cannot see it)
    dimensions: ClassVar[tuple[Dimension, ...]] = ()  # breakdowns `count` answers besides the total
    sensitive_groups: ClassVar[frozenset[str]] = frozenset()  # group keys only ever shown in aggregate ("<5")

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        """Count with one SQL aggregate for every commune at once, grouped by commune and `by` (key None: total)."""
        raise NotImplementedError(f"{cls.code} is entered by hand")

    @classmethod
    def details(cls, commune_ids: Sequence[int], period: Period) -> dict[int, list[str]]:
        """Name what was counted where the report lists it (class names); most indicators list nothing."""
        return {}


REGISTRY: dict[str, type[Indicator]] = {}


def unit_label(what: type[Indicator] | Unit | str) -> str:
    """Say what an indicator (or a unit code, as a sent report keeps it) counts, in words ("người", "lớp")."""
    unit = what.unit if isinstance(what, type) else what
    try:
        return str(UNIT_LABELS[Unit(unit)])
    except ValueError:
        return str(unit)


def target_unit(indicator: type[Indicator]) -> str:
    """Return the unit its target is set in: a share of its population ("%"), else what it counts."""
    return "%" if indicator.population is not None else unit_label(indicator)


def register(indicator: type[Indicator]) -> type[Indicator]:
    """Add an indicator (a class decorator); the same class twice is harmless, two with one code are an error."""
    existing = REGISTRY.get(indicator.code)
    if existing is not None and existing.__qualname__ != indicator.__qualname__:
        raise ValueError(f"indicator {indicator.code!r} registered twice")
    REGISTRY[indicator.code] = indicator
    return indicator


def ordered(codes: Iterable[str] | None = None) -> list[type[Indicator]]:
    """Return the registered indicators (or those named) in the order reports list them."""
    chosen = REGISTRY.values() if codes is None else [REGISTRY[c] for c in codes if c in REGISTRY]
    return sorted(chosen, key=lambda i: (i.order, i.code))


def age_band(birth_year: int | None, year: int) -> str | None:
    """Return the age band of someone born in birth_year, in the given year."""
    if birth_year is None:
        return None
    age = year - birth_year
    for key, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return key
    return None
