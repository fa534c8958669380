"""The commune's figures for a period: every indicator's value, last year's, its population, its rate and its target.

A constant number of statements whatever the number of villages or people: one aggregate per computed indicator
and period (grouped by commune and village, so the total and every village come from the same rows), and one each
for the hand-entered figures, the populations and the targets.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.indicators import REGISTRY, SUPPRESS_BELOW, Dimension, Indicator, Key, Period, ordered
from app.places.models import Village
from app.reports import targets as plan_targets
from app.reports.models import Denominator, ManualFigure, Target

ALL = "all"  # the key of a commune's total in the per-place maps


@dataclass(frozen=True)
class Figure:
    """One indicator for one place (a commune, or one village of it) and period."""

    indicator: type[Indicator]
    value: int | None  # None: nothing entered by hand for the period
    previous: int | None  # the same period last year
    population: int | None  # None: the officer has not entered it (a rate then says so, never guesses)
    previous_population: int | None
    target: float | None  # the year's target (a % for indicators with a population, else a count)
    target_is_plan: bool  # the target is the plan's default, not one the commune set

    @property
    def rate(self) -> float | None:
        return rate_of(self.value, self.population)

    @property
    def previous_rate(self) -> float | None:
        return rate_of(self.previous, self.previous_population)

    @property
    def measure(self) -> float | None:
        """What the target is compared with: the rate where there is a population, else the count."""
        return self.rate if self.indicator.population else (None if self.value is None else float(self.value))

    @property
    def progress(self) -> float | None:
        """The share of the target reached, 0–1 (None when either side is unknown)."""
        if self.measure is None or not self.target:
            return None
        return min(self.measure / self.target, 1.0)

    @property
    def met(self) -> bool:
        return self.progress is not None and self.progress >= 1.0

    @property
    def missing_population(self) -> bool:
        return self.indicator.population is not None and self.population is None


def rate_of(value: int | None, population: int | None) -> float | None:
    if value is None or not population:
        return None
    return round(100.0 * value / population, 1)


def suppressed(value: int | None) -> bool:
    """Tell whether a count of people is too small to show (it could point at someone)."""
    return value is not None and 0 < value < SUPPRESS_BELOW


Place = int | str  # a village id, or ALL for the commune as a whole


def figures(commune_id: int, period: Period, *, codes: Sequence[str] | None = None) -> dict[Place, list[Figure]]:
    """Every indicator for the commune (key ALL) and each of its villages, for the period and last year's.

    A village where nothing was counted still gets its row (0 counted, nothing entered, its population and targets).
    """
    chosen = ordered(codes)
    last = period.same_last_year()
    village_ids = list(db.session.scalars(select(Village.id).where(Village.commune_id == commune_id)))
    now_counts = {i.code: _by_village(i, commune_id, period) for i in chosen}
    then_counts = {i.code: _by_village(i, commune_id, last) for i in chosen}
    manual = manual_values(commune_id, (period, last))
    populations = population_values(commune_id, (period.year, last.year), villages=len(village_ids))
    goals = target_values(commune_id, period.year)
    places: set[Place] = {ALL, *village_ids}
    for counts in (*now_counts.values(), *then_counts.values()):
        places.update(k for k in counts if k is not None)
    for (place, _, _), _v in manual.items():
        places.add(place)
    result: dict[Place, list[Figure]] = {}
    for place in places:
        row = []
        for indicator in chosen:
            if indicator.manual:
                value, previous = manual.get((place, indicator.code, period)), manual.get((place, indicator.code, last))
            else:
                value = _place_total(now_counts[indicator.code], place)
                previous = _place_total(then_counts[indicator.code], place)
            population = populations.get((place, indicator.population, period.year)) if indicator.population else None
            previous_population = populations.get((place, indicator.population, last.year)) \
                if indicator.population else None
            target, is_plan = goals.get((place, indicator.code), (None, False))
            if target is None and place == ALL:
                target, is_plan = plan_targets.default(indicator.code, period.year), True
            row.append(Figure(indicator, value, previous, population, previous_population, target, is_plan))
        result[place] = row
    return result


def _by_village(indicator: type[Indicator], commune_id: int, period: Period) -> dict[Key, int]:
    if indicator.manual:
        return {}
    dimension = Dimension.VILLAGE if Dimension.VILLAGE in indicator.dimensions else None
    return {key: n for (_, key), n in indicator.count([commune_id], period, dimension).items()}


def _place_total(counts: dict[Key, int], place: Place) -> int:
    if place == ALL:
        return sum(counts.values())
    return int(counts.get(place, 0))


def breakdown(indicator: type[Indicator], commune_id: int, period: Period, by: Dimension,
              villages: set[int] | None = None) -> dict[Key, int]:
    """One indicator by audience, gender, age band or village (one aggregate; a person may sit in several audiences)."""
    if indicator.manual or by not in indicator.dimensions:
        return {}
    counts = {key: n for (_, key), n in indicator.count([commune_id], period, by).items()}
    return counts if villages is None or by is not Dimension.VILLAGE else \
        {k: v for k, v in counts.items() if k in villages}


def manual_values(commune_id: int, periods: Sequence[Period]) -> dict[tuple[Place, str, Period], int]:
    """Hand-entered figures per place, indicator and period.

    A year without its own entry takes its quarters: their sum for what happens in a period (articles), the latest
    quarter for a running total (adults with a smartphone). The commune's value is its own entry, else its villages'.
    """
    years = {p.year for p in periods}
    rows = db.session.execute(select(ManualFigure.village_id, ManualFigure.indicator, ManualFigure.year,
                                     ManualFigure.quarter, ManualFigure.value)
                              .where(ManualFigure.commune_id == commune_id, ManualFigure.year.in_(years))).all()
    entered: dict[tuple[Place, str, int], dict[int, int]] = defaultdict(dict)
    for village, code, year, quarter, value in rows:
        entered[(village if village is not None else ALL, code, year)][quarter] = value
    result: dict[tuple[Place, str, Period], int] = {}
    for (place, code, year), by_quarter in entered.items():
        indicator = REGISTRY.get(code)
        if indicator is None:
            continue
        for period in periods:
            if period.year != year:
                continue
            value = _period_value(by_quarter, period, indicator.cumulative)
            if value is not None:
                result[(place, code, period)] = value
    # The commune without an entry of its own: the sum of its villages'.
    for period in periods:
        for code in {c for (_, c, _) in entered}:
            if (ALL, code, period) not in result:
                parts = [v for (place, c, p), v in result.items() if c == code and p == period and place != ALL]
                if parts:
                    result[(ALL, code, period)] = sum(parts)
    return result


def _period_value(by_quarter: dict[int, int], period: Period, cumulative: bool) -> int | None:
    if period.quarter:
        if period.quarter in by_quarter or not cumulative:
            return by_quarter.get(period.quarter)
        # A running total not re-entered this quarter still stands at its latest earlier figure of the year.
        earlier = [q for q in by_quarter if 0 < q < period.quarter]
        return by_quarter[max(earlier)] if earlier else None
    if 0 in by_quarter:
        return by_quarter[0]
    quarters = sorted(q for q in by_quarter if q)
    if not quarters:
        return None
    return by_quarter[quarters[-1]] if cumulative else sum(by_quarter[q] for q in quarters)


def population_values(commune_id: int, years: Sequence[int], *,
                      villages: int | None = None) -> dict[tuple[Place, str, int], int]:
    """Populations per place, kind and year; the commune's is its own figure, else the sum of its villages' when
    every village has one (a sum over some villages would make the commune's rate look better than it is)."""
    if villages is None:
        villages = db.session.scalar(select(func.count()).select_from(Village)
                                     .where(Village.commune_id == commune_id)) or 0
    rows = db.session.execute(select(Denominator.village_id, Denominator.kind, Denominator.year, Denominator.value)
                              .where(Denominator.commune_id == commune_id, Denominator.year.in_(years))).all()
    result: dict[tuple[Place, str, int], int] = {}
    sums: dict[tuple[str, int], list[int]] = defaultdict(list)
    for village, kind, year, value in rows:
        result[(village if village is not None else ALL, kind, year)] = value
        if village is not None:
            sums[(kind, year)].append(value)
    for (kind, year), parts in sums.items():
        if len(parts) == villages:
            result.setdefault((ALL, kind, year), sum(parts))
    return result


def target_values(commune_id: int, year: int) -> dict[tuple[Place, str], tuple[float, bool]]:
    """The targets the commune set for the year, per place and indicator."""
    rows = db.session.execute(select(Target.village_id, Target.indicator, Target.value)
                              .where(Target.commune_id == commune_id, Target.year == year)).all()
    return {(village if village is not None else ALL, code): (value, False) for village, code, value in rows}
