"""Digital families: the two rules, dates, coverage per village, the households not yet covered, the indicator."""
from __future__ import annotations

import datetime as dt

import pytest

from app import indicators
from app.digital import services as digital
from app.errors import DomainError
from app.extensions import db
from app.families import services, settings
from app.indicators import Dimension, Period
from app.people import services as people
from tests import factories
from tests.families.conftest import World, complete, member

DAY = dt.date(2026, 6, 30)
BEFORE = dt.datetime(2026, 3, 1, 3, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 8, 1, 3, tzinfo=dt.UTC)


def covered_homes(world: World, rule: str, on: dt.date = DAY) -> set[str]:
    missing = {u.household.id for u in services.uncovered(world.commune, on, rule=rule)}
    return {key for key, home in world.homes.items() if home.id not in missing}


def test_one_member_who_completed_makes_the_household_a_digital_family(world: World) -> None:
    complete(world.members["an"], BEFORE)
    assert covered_homes(world, "one_member") == {"a"}


def test_all_adults_needs_every_adult_but_not_the_children(world: World) -> None:
    complete(world.members["an"], BEFORE)
    assert covered_homes(world, "all_adults") == set()
    complete(world.members["binh"], BEFORE)  # the child (born 2012) has not completed, and need not
    assert covered_homes(world, "all_adults") == {"a"}


def test_a_household_with_no_members_is_never_covered(world: World) -> None:
    for key in ("an", "dung", "em"):
        complete(world.members[key], BEFORE)
    assert "empty" not in covered_homes(world, "one_member")
    assert "empty" not in covered_homes(world, "all_adults")


def test_completion_after_the_day_does_not_count_yet(world: World) -> None:
    complete(world.members["dung"], AFTER)
    assert covered_homes(world, "one_member", DAY) == set()
    assert covered_homes(world, "one_member", dt.date(2026, 8, 1)) == {"b"}


def test_an_erased_member_is_no_longer_a_member(world: World) -> None:
    complete(world.members["an"], BEFORE)
    complete(world.members["binh"], BEFORE)
    assert covered_homes(world, "one_member") == {"a"}
    world.members["an"].erased_at = AFTER
    world.members["binh"].erased_at = AFTER
    db.session.flush()
    assert covered_homes(world, "one_member") == set()


def test_coverage_counts_households_and_families_per_village(world: World) -> None:
    complete(world.members["an"], BEFORE)
    complete(world.members["em"], BEFORE)
    figures = services.coverage(world.commune, DAY)
    assert figures.rule == "one_member"
    rows = {v.name: (v.households, v.covered, v.percent) for v in figures.villages}
    assert rows == {"Thôn Đông": (2, 1, "50%"), "Thôn Tây": (2, 1, "50%")}
    assert (figures.total.households, figures.total.covered, figures.total.uncovered) == (4, 2, 2)


def test_coverage_follows_the_communes_rule(world: World) -> None:
    complete(world.members["an"], BEFORE)
    settings.save_rule(world.commune, "all_adults", actor=world.officer)
    assert services.coverage(world.commune, DAY).total.covered == 0
    settings.save_rule(world.commune, "one_member", actor=world.officer)
    assert services.coverage(world.commune, DAY).total.covered == 1


def test_an_unknown_rule_is_refused_and_nothing_is_stored(world: World) -> None:
    with pytest.raises(DomainError):
        settings.save_rule(world.commune, "half_the_family", actor=world.officer)
    assert settings.rule_for(world.commune.id) == settings.DEFAULT_RULE


def test_uncovered_list_is_sorted_by_village_alley_then_address(world: World) -> None:
    found = [(u.village, u.household.alley, u.household.address) for u in services.uncovered(world.commune, DAY)]
    villages = [v for v, _a, _h in found]
    assert sum(a != b for a, b in zip(villages, villages[1:], strict=False)) == 1  # each village's rows together
    assert [(a, h) for v, a, h in found if v == "Thôn Đông"] == [("Ngõ 1", "Số 1, đường Làng"),
                                                                 ("Ngõ 2", "Số 3, đường Làng")]
    assert [(a, h) for v, a, h in found if v == "Thôn Tây"] == [("", "Số 9, xóm Bến"), ("Xóm Bến", "Số 7, xóm Bến")]


def test_uncovered_list_says_what_each_member_lacks(world: World) -> None:
    em = world.members["em"]
    people.record_consent(em, purpose="digital_support", method="paper", policy_version="test", recorded_by=None)
    digital.record_many(em, {"smartphone": 1, "vneid": 1}, observed_on=DAY, source="visit", actor=world.team)
    found = {u.household.id: u for u in services.uncovered(world.commune, DAY, village_ids={world.tay.id})}
    assert set(found) == {world.homes["c"].id, world.homes["empty"].id}
    (lacking,) = found[world.homes["c"].id].members
    assert lacking.person.id == em.id and not lacking.done
    assert lacking.needs == ["chưa hoàn thành kỹ năng số cơ bản", "chưa có VNeID mức 2"]
    assert found[world.homes["empty"].id].members == []


def test_under_all_adults_a_child_is_listed_but_does_not_count(world: World) -> None:
    found = {u.household.id: u for u in services.uncovered(world.commune, DAY, rule="all_adults")}
    counts = {m.person.full_name: m.counts for m in found[world.homes["a"].id].members}
    assert counts == {"Nguyễn Văn An": True, "Nguyễn Thị Bình": True, "Nguyễn Minh Châu": False}


def test_export_rows_have_one_row_per_member_and_one_for_an_empty_household(world: World) -> None:
    rows = services.export_rows(services.uncovered(world.commune, DAY, village_ids={world.tay.id}))
    assert [r[2] for r in rows] == ["Số 9, xóm Bến", "Số 7, xóm Bến"]
    assert rows[1][3:6] == ["Lê Thị Em", 1985, "Chưa"]


def test_setting_an_alley_cleans_it_and_refuses_one_too_long(world: World) -> None:
    home = world.homes["empty"]
    services.set_alley(home, "  Ngõ   Chùa\u200b ", actor=world.officer)
    assert home.alley == "Ngõ Chùa"
    with pytest.raises(DomainError):
        services.set_alley(home, "N" * 81, actor=world.officer)
    assert home.alley == "Ngõ Chùa"


def test_the_indicator_counts_households_under_each_communes_own_rule(world: World) -> None:
    other = factories.commune(factories.COMMUNE_CODES[1])
    village = factories.village(other, "Thôn Bắc")
    home = people.create_household(village=village, address="Số 2")
    one, two = member(other, home, "Phạm Văn Một", 1960), member(other, home, "Phạm Thị Hai", 1962)
    complete(one, BEFORE)
    complete(world.members["an"], BEFORE)
    complete(world.members["em"], BEFORE)
    settings.save_rule(other, "all_adults", actor=None)
    families = indicators.REGISTRY["digital_families"]
    assert not families.manual and families.cumulative
    period = Period(2026, 2)
    assert families.count([world.commune.id, other.id], period) == {(world.commune.id, None): 2}
    assert families.count([world.commune.id], period, Dimension.VILLAGE) == {
        (world.commune.id, world.dong.id): 1, (world.commune.id, world.tay.id): 1}
    complete(two, BEFORE)
    assert families.count([other.id], period) == {(other.id, None): 1}
    assert families.count([world.commune.id], Period(2026, 1)) == {(world.commune.id, None): 2}
    assert families.count([world.commune.id], Period(2025)) == {}
