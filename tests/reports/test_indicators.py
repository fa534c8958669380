"""The computed indicators against the hand-built commune (tests/reports/conftest.py): every answer written by hand."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.catalog.models import FrameworkVersion
from app.extensions import db
from app.indicators import REGISTRY, Dimension, Key, Period, age_band
from app.people import breakdowns
from app.people.models import Person
from tests import factories
from tests.reports.conftest import BASIC, World

Y2025, Y2026 = Period(2025), Period(2026)


def count(world: World, code: str, period: Period, by: Dimension | None = None) -> dict[Key, int]:
    """One indicator for the hand-built commune, keyed by group (None: the total, or "not recorded")."""
    counts = REGISTRY[code].count([world.commune.id], period, by)
    assert all(commune == world.commune.id for commune, _ in counts)
    return {key: n for (_, key), n in counts.items()}


def by_village(world: World, counts: dict[Key, int]) -> dict[str | None, int]:
    """Replace village ids with the villages' short names, to compare with the hand-written answers."""
    names = {v.id: name for name, v in world.villages.items()}
    return {names.get(k) if k is not None else None: n for k, n in counts.items()}  # type: ignore[call-overload]


def test_the_hand_built_commune_uses_the_framework_basic_set(world: World) -> None:
    data = db.session.scalar(select(FrameworkVersion.data).where(FrameworkVersion.is_current.is_(True)))
    assert sorted(data["basic_completion"]["skills"]) == sorted(BASIC)


@pytest.mark.parametrize(("period", "total"), [
    (Y2025, 2),  # An, Chi (Nga's moment is already 2026 in Vietnam; Phúc had only half)
    (Period(2025, 4), 2),
    (Period(2026, 1), 4),  # + Nga (1 January, Vietnam time), Hà (two halves by February)
    (Period(2026, 2), 6),  # + Phúc (his second half in April), Bình
    (Y2026, 7),  # + Oanh; never Dũng, Khánh, Minh, Quang, Vy
])
def test_basic_skills_total_is_cumulative(world: World, period: Period, total: int) -> None:
    assert count(world, "basic_skills", period) == {None: total}


def test_basic_skills_2026_by_every_dimension(world: World) -> None:
    assert by_village(world, count(world, "basic_skills", Y2026, Dimension.VILLAGE)) == \
        {"Đông": 4, "Tây": 1, "Nam": 1, None: 1}
    assert count(world, "basic_skills", Y2026, Dimension.GENDER) == {"female": 5, "male": 2}
    assert count(world, "basic_skills", Y2026, Dimension.AGE_BAND) == \
        {"60_plus": 3, "35_59": 2, "under_35": 1, None: 1}
    # A person sits in every audience they belong to: Hà is elderly, a trader and disabled.
    assert count(world, "basic_skills", Y2026, Dimension.AUDIENCE) == \
        {"elderly": 3, "public_staff": 2, "trader": 2, "disabled": 1}


def test_basic_skills_2025_by_every_dimension(world: World) -> None:
    assert by_village(world, count(world, "basic_skills", Y2025, Dimension.VILLAGE)) == {"Đông": 2}
    assert count(world, "basic_skills", Y2025, Dimension.GENDER) == {"female": 2}
    assert count(world, "basic_skills", Y2025, Dimension.AGE_BAND) == {"60_plus": 1, "under_35": 1}
    assert count(world, "basic_skills", Y2025, Dimension.AUDIENCE) == {"elderly": 1, "public_staff": 1}


def test_basic_skills_in_a_quarter_by_village_and_age(world: World) -> None:
    q1 = Period(2026, 1)
    assert by_village(world, count(world, "basic_skills", q1, Dimension.VILLAGE)) == {"Đông": 2, "Tây": 1, "Nam": 1}
    assert count(world, "basic_skills", q1, Dimension.AGE_BAND) == {"60_plus": 3, "under_35": 1}


@pytest.mark.parametrize(("code", "period", "total"), [
    ("staff_skilled", Y2025, 1),  # Chi
    ("staff_skilled", Y2026, 2),  # Chi, Phúc (Dũng is one skill short, Uyên has nothing)
    ("pupils_ai_safety", Y2025, 0),  # Lan had safety (group 4) only
    ("pupils_ai_safety", Period(2026, 1), 1),  # Khánh
    ("pupils_ai_safety", Y2026, 2),  # Khánh; Lan, her AI (group 6) in September on top of 2025's safety
    ("ai_users", Y2025, 1),  # An (Quang is erased, Vy lives elsewhere)
    ("ai_users", Y2026, 2),  # adults only: of An, Chi, Khánh, Lan two are pupils (Minh's was never confirmed)
    ("workers_skilled", Y2026, 0),
])
def test_group_indicators(world: World, code: str, period: Period, total: int) -> None:
    assert sum(count(world, code, period).values()) == total


def test_staff_skilled_by_village_keeps_the_resident_without_a_village(world: World) -> None:
    assert by_village(world, count(world, "staff_skilled", Y2026, Dimension.VILLAGE)) == {"Đông": 1, None: 1}


def test_classes_held_leave_out_the_cancelled_and_count_a_class_in_both_years(world: World) -> None:
    assert count(world, "classes_held", Y2025) == {None: 2}  # the phone class (November), the staff class
    assert count(world, "classes_held", Y2026) == {None: 2}  # the phone class (January), the public one
    assert count(world, "classes_held", Period(2026, 1)) == {None: 2}
    assert count(world, "classes_held", Period(2026, 2)) == {}  # only a cancelled class and a cancelled session
    assert by_village(world, count(world, "classes_held", Y2026, Dimension.VILLAGE)) == {"Đông": 1, "Tây": 1}
    assert by_village(world, count(world, "classes_held", Y2025, Dimension.VILLAGE)) == {"Đông": 1, None: 1}
    assert count(world, "classes_held", Y2026, Dimension.AUDIENCE) == {"elderly": 1, "general": 1}


def test_classes_held_details_name_the_classes_with_their_audience(world: World) -> None:
    details = REGISTRY["classes_held"].details([world.commune.id, world.other.id], Y2026)
    assert details[world.commune.id] == ["Lớp điện thoại cho người cao tuổi (Người cao tuổi)",
                                         "Lớp dịch vụ công trực tuyến (Mọi người dân)"]
    assert details[world.other.id] == ["Lớp ở xã khác (Mọi người dân)"]
    assert REGISTRY["classes_held"].details([world.commune.id], Y2025)[world.commune.id] == \
        ["Lớp an toàn số cho cán bộ (Cán bộ, công chức, viên chức)",
         "Lớp điện thoại cho người cao tuổi (Người cao tuổi)"]


def test_learners_trained_counts_enrolled_residents_once(world: World) -> None:
    # 2026: An, Tâm (twice, once counted), Bình, Hà; not Sơn (withdrawn), Minh (waiting), Quang (erased),
    # Vy (another commune), Uyên (a cancelled class), Lan (a class whose only session was cancelled).
    assert count(world, "learners_trained", Y2026) == {None: 4}
    assert count(world, "learners_trained", Y2025) == {None: 3}  # An, Tâm, Chi
    assert by_village(world, count(world, "learners_trained", Y2026, Dimension.VILLAGE)) == {"Đông": 3, "Tây": 1}
    assert count(world, "learners_trained", Y2026, Dimension.GENDER) == {"female": 3, "male": 1}
    assert count(world, "learners_trained", Y2026, Dimension.AUDIENCE) == \
        {"elderly": 3, "trader": 2, "disabled": 1}


def test_the_other_commune_counts_only_its_own(world: World) -> None:
    counts: dict[tuple[int, Any], int] = REGISTRY["basic_skills"].count([world.commune.id, world.other.id], Y2025)
    assert counts == {(world.commune.id, None): 2, (world.other.id, None): 1}
    both = REGISTRY["learners_trained"].count([world.commune.id, world.other.id], Y2026)
    assert both == {(world.commune.id, None): 4, (world.other.id, None): 1}  # Vy counts where she lives


def test_the_erased_person_never_counts(world: World) -> None:
    # Quang (Tây, born 1975) completed the basic set with AI in 2025 and enrolled in the public class: erased, he
    # would be one more in Tây everywhere.
    assert world.people["Quang"].erased_at is not None
    assert by_village(world, count(world, "ai_users", Y2025, Dimension.VILLAGE)) == {"Đông": 1}
    assert by_village(world, count(world, "basic_skills", Y2025, Dimension.VILLAGE)) == {"Đông": 2}
    assert by_village(world, count(world, "learners_trained", Y2026, Dimension.VILLAGE))["Tây"] == 1
    assert count(world, "basic_skills", Y2026, Dimension.AGE_BAND)["35_59"] == 2  # Bình, Phúc; not Quang


def test_age_bands_at_their_edges_agree_with_the_python_rule(ctx: Any) -> None:
    commune = factories.commune()
    born = (2008, 1992, 1991, 1967, 1966, None)  # 18, 34, 35, 59, 60 in 2026, unknown
    for i, year in enumerate(born):
        db.session.add(Person(full_name=f"Người số {i}", birth_year=year, commune_id=commune.id))
    db.session.flush()
    counts = breakdowns.count_people(select(Person.id), [commune.id], year=2026, by=Dimension.AGE_BAND)
    assert {key: n for (_, key), n in counts.items()} == {"under_35": 2, "35_59": 2, "60_plus": 1, None: 1}
    assert [age_band(y, 2026) for y in born] == ["under_35", "under_35", "35_59", "35_59", "60_plus", None]
    adults = db.session.scalars(select(Person.id).where(breakdowns.adult(2026, 18))).all()
    assert len(adults) == 6  # 18 this year counts; an unknown birth year counts (adults' classes enrol them)
    assert len(db.session.scalars(select(Person.id).where(breakdowns.adult(2025, 18))).all()) == 5


@pytest.mark.parametrize("period", [Y2025, Period(2026, 1), Y2026])
def test_villages_roll_up_to_the_commune_total(world: World, period: Period) -> None:
    # Gender and age band too: everyone falls in exactly one group (None: not recorded); audiences overlap.
    for indicator in (i for i in REGISTRY.values() if not i.manual):
        total = sum(count(world, indicator.code, period).values())
        for by in (d for d in indicator.dimensions if d is not Dimension.AUDIENCE):
            assert sum(count(world, indicator.code, period, by).values()) == total, (indicator.code, by)


def test_the_disabled_group_is_only_ever_shown_in_aggregate(app: Any) -> None:
    for code in ("basic_skills", "ai_users", "learners_trained"):
        assert "disabled" in REGISTRY[code].sensitive_groups
