"""The report's figures (rates, targets, last year, hand-entered values, suppression) against hand-written answers."""
from __future__ import annotations

import pytest

from app.catalog import services as catalog
from app.extensions import db
from app.indicators import REGISTRY, Dimension, Period, Population
from app.people.models import Person
from app.reports import figures
from app.reports.figures import ALL, Figure
from app.reports.models import Denominator, ManualFigure, Target
from tests import factories
from tests.reports.conftest import BASIC, World, complete, utc
from tests.statements import counting

Y2025, Y2026 = Period(2025), Period(2026)


def population(world: World, village: str | None, year: int, kind: Population, value: int) -> None:
    db.session.add(Denominator(commune_id=world.commune.id, village_id=world.village_id(village) if village else None,
                               year=year, kind=kind.value, value=value))


def target(world: World, village: str | None, year: int, code: str, value: float) -> None:
    db.session.add(Target(commune_id=world.commune.id, village_id=world.village_id(village) if village else None,
                          year=year, indicator=code, value=value))


def entry(world: World, village: str | None, code: str, year: int, quarter: int, value: int) -> None:
    db.session.add(ManualFigure(commune_id=world.commune.id, village_id=world.village_id(village) if village else None,
                                indicator=code, year=year, quarter=quarter, value=value))


def pick(table: dict[figures.Place, list[Figure]], place: figures.Place, code: str) -> Figure:
    return next(f for f in table[place] if f.indicator.code == code)


@pytest.fixture
def numbers(world: World, manual_indicators: None) -> World:
    """Populations, targets and hand-entered figures on top of the hand-built commune."""
    population(world, None, 2026, Population.ADULTS, 20)  # the commune's own figure wins over its villages' sum
    population(world, "Đông", 2026, Population.ADULTS, 8)
    population(world, "Tây", 2026, Population.ADULTS, 5)
    population(world, "Nam", 2026, Population.ADULTS, 4)
    population(world, "Đông", 2025, Population.ADULTS, 6)  # 2025: villages only, the commune is their sum
    population(world, "Tây", 2025, Population.ADULTS, 4)
    target(world, None, 2026, "staff_skilled", 90)
    target(world, "Đông", 2026, "basic_skills", 50)
    target(world, None, 2026, "classes_held", 2)
    entry(world, None, "articles", 2026, 1, 3)  # a flow: the year is the sum of its quarters
    entry(world, None, "articles", 2026, 2, 4)
    entry(world, None, "articles", 2025, 0, 12)
    entry(world, None, "test_stock", 2026, 1, 100)  # a stock: the year is its latest quarter
    entry(world, None, "test_stock", 2026, 3, 150)
    entry(world, None, "test_flow", 2026, 0, 50)  # the year's own entry wins over its quarters
    entry(world, None, "test_flow", 2026, 1, 10)
    entry(world, "Đông", "test_households", 2026, 2, 5)  # no commune entry: the villages' sum
    entry(world, "Tây", "test_households", 2026, 2, 3)
    entry(world, "Tây", "test_households", 2026, 1, 1)
    entry(world, None, "households_informed", 2026, 0, 30)  # the commune's own entry wins over its villages'
    entry(world, "Đông", "households_informed", 2026, 0, 10)
    db.session.commit()
    return world


def test_basic_skills_rate_target_and_last_year_for_the_commune(numbers: World) -> None:
    table = figures.figures(numbers.commune.id, Y2026)
    basic = pick(table, ALL, "basic_skills")
    assert (basic.value, basic.previous) == (7, 2)
    # Own row; 2025 has rows for two of the three villages only, so no commune figure (a partial sum would flatter it).
    assert (basic.population, basic.previous_population) == (20, None)
    assert (basic.rate, basic.previous_rate) == (35.0, None)
    assert (basic.target, basic.target_is_plan) == (100, True)  # the plan's 2026 target
    assert basic.progress == pytest.approx(0.35) and not basic.met and not basic.missing_population


def test_a_village_has_its_own_population_and_target(numbers: World) -> None:
    table = figures.figures(numbers.commune.id, Y2026)
    east = pick(table, numbers.village_id("Đông"), "basic_skills")
    assert (east.value, east.previous, east.population, east.previous_population) == (4, 2, 8, 6)
    assert (east.rate, east.previous_rate) == (50.0, 33.3)
    assert (east.target, east.target_is_plan, east.progress, east.met) == (50, False, 1.0, True)
    south = pick(table, numbers.village_id("Nam"), "basic_skills")
    assert (south.value, south.previous, south.population, south.rate) == (1, 0, 4, 25.0)
    assert south.previous_rate is None  # no 2025 population for Nam: no rate, never a guess
    assert (south.target, south.progress, south.met) == (None, None, False)  # villages get no plan default


def test_targets_from_the_commune_and_the_plan(numbers: World) -> None:
    now = figures.figures(numbers.commune.id, Y2026)
    staff = pick(now, ALL, "staff_skilled")
    assert (staff.value, staff.target, staff.target_is_plan) == (2, 90, False)
    assert staff.population is None and staff.missing_population and staff.rate is None and staff.progress is None
    held = pick(now, ALL, "classes_held")  # a count, no population: the target is compared with the count
    assert (held.value, held.previous, held.target, held.measure, held.progress, held.met) == (2, 2, 2, 2.0, 1.0, True)
    then = pick(figures.figures(numbers.commune.id, Y2025), ALL, "basic_skills")
    assert (then.value, then.population, then.rate, then.target, then.target_is_plan) == (2, None, None, 80, True)
    assert pick(now, ALL, "articles").target is None  # the plans set none


def test_hand_entered_figures_for_the_year(numbers: World) -> None:
    table = figures.figures(numbers.commune.id, Y2026)
    values = {f.indicator.code: (f.value, f.previous) for f in table[ALL] if f.indicator.manual}
    assert values["articles"] == (7, 12)  # 3 + 4; last year's own entry
    assert values["test_stock"] == (150, None)  # the latest quarter, not 250
    assert values["test_flow"] == (50, None)
    assert values["test_households"] == (8, None)  # Đông 5 + Tây 3 (Tây's latest quarter, not 3 + 1)
    assert values["households_informed"] == (30, None)
    assert values["test_unentered"] == (None, None)  # nothing entered: unknown, not zero
    east = {f.indicator.code: f.value for f in table[numbers.village_id("Đông")] if f.indicator.manual}
    assert (east["test_households"], east["households_informed"], east["articles"]) == (5, 10, None)


def test_hand_entered_figures_for_a_quarter(numbers: World) -> None:
    q1 = figures.figures(numbers.commune.id, Period(2026, 1))
    values = {f.indicator.code: f.value for f in q1[ALL] if f.indicator.manual}
    assert (values["articles"], values["test_stock"], values["test_flow"]) == (3, 100, 10)
    assert values["test_households"] == 1  # Tây's first quarter only
    q2 = figures.figures(numbers.commune.id, Period(2026, 2))
    values = {f.indicator.code: f.value for f in q2[ALL] if f.indicator.manual}
    # A running total not re-entered in the second quarter still stands at its first-quarter figure.
    assert (values["articles"], values["test_stock"], values["test_households"]) == (4, 100, 8)


def test_figures_only_for_the_codes_asked(numbers: World) -> None:
    table = figures.figures(numbers.commune.id, Y2026, codes=["learners_trained", "basic_skills"])
    assert [f.indicator.code for f in table[ALL]] == ["basic_skills", "learners_trained"]
    assert {f.indicator.code: f.value for f in table[ALL]} == {"basic_skills": 7, "learners_trained": 4}


def test_breakdown_limits_villages_when_asked(numbers: World) -> None:
    basic = REGISTRY["basic_skills"]
    east, west = numbers.village_id("Đông"), numbers.village_id("Tây")
    assert figures.breakdown(basic, numbers.commune.id, Y2026, Dimension.VILLAGE, villages={east, west}) == \
        {east: 4, west: 1}
    assert figures.breakdown(basic, numbers.commune.id, Y2026, Dimension.GENDER) == {"female": 5, "male": 2}
    assert figures.breakdown(REGISTRY["articles"], numbers.commune.id, Y2026, Dimension.VILLAGE) == {}
    assert figures.breakdown(REGISTRY["classes_held"], numbers.commune.id, Y2026, Dimension.GENDER) == {}


@pytest.mark.parametrize(("value", "hidden"), [(None, False), (0, False), (1, True), (4, True), (5, False),
                                               (120, False)])
def test_small_counts_are_suppressed(value: int | None, hidden: bool) -> None:
    assert figures.suppressed(value) is hidden


def test_rate_of() -> None:
    assert figures.rate_of(1, 3) == 33.3
    assert figures.rate_of(3, 0) is None and figures.rate_of(None, 10) is None and figures.rate_of(0, 10) == 0.0


def _grow(world: World, villages: int, people: int) -> None:
    """Add villages and residents (the first 36 completing the basic set) until the commune has that many."""
    module = catalog.module_by_code("NCT-01")
    assert module is not None
    made = list(world.villages.values())
    made += [factories.village(world.commune, f"Thôn số {i}") for i in range(villages - len(made))]
    for place in made[len(world.villages):]:
        db.session.add(Denominator(commune_id=world.commune.id, village_id=place.id, year=2025,
                                   kind=Population.ADULTS.value, value=1000))
    existing = sum(p.commune_id == world.commune.id for p in world.people.values())
    for i in range(people - existing):
        person = Person(full_name=f"Phạm Văn Số {i}", birth_year=1950 + i % 50, gender=("male", "female")[i % 2],
                        commune_id=world.commune.id, village_id=made[i % len(made)].id)
        db.session.add(person)
        db.session.flush()
        if i < 36:
            complete(person, module, BASIC, utc(2026, 2, 1))
    db.session.commit()


def test_figures_statement_count_does_not_grow_with_the_commune(numbers: World) -> None:
    with counting() as small:
        table = figures.figures(numbers.commune.id, Y2026)
    assert len(table) == 4  # the commune and its three villages
    _grow(numbers, villages=12, people=300)
    db.session.expire_all()
    with counting() as large:
        table = figures.figures(numbers.commune.id, Y2026)
    assert len(table) == 13
    assert pick(table, ALL, "basic_skills").value == 7 + 36
    assert len(large) == len(small), "\n".join(large)
