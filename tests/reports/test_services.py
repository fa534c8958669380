"""Targets, populations, hand-entered figures, tasks: bad input gets a clear Vietnamese message and changes nothing."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from app.catalog.models import Module
from app.errors import DomainError
from app.extensions import db
from app.indicators import REGISTRY, Dimension, Period, Population
from app.people import breakdowns
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune
from app.policy import Role
from app.reports import figures, services
from app.reports.models import Denominator, ManualFigure, Target, TargetChange, Task
from tests import factories
from tests.reports.conftest import BASIC, World, complete, utc

TODAY = dt.date(2026, 12, 3)


def rows(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def office(ctx: Any) -> tuple[Commune, Person]:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER, birth_year=1985)
    db.session.commit()
    return commune, officer


# --- targets ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "value", "words"), [
    ("basic_skills", 101, "100 %"),
    ("basic_skills", 100.5, "100 %"),
    ("basic_skills", -1, "không được âm"),
    ("classes_held", -3, "không được âm"),
    ("classes_held", 10_000_001, "quá lớn"),
])
def test_a_target_out_of_range_is_refused_and_nothing_is_written(office: tuple[Commune, Person], code: str,
                                                                  value: float, words: str) -> None:
    commune, officer = office
    with pytest.raises(DomainError) as refused:
        services.set_target(commune, None, 2026, code, value, actor=officer, today=TODAY)
    assert words in str(refused.value.message) and refused.value.field == "value"
    db.session.rollback()
    assert (rows(Target), rows(TargetChange)) == (0, 0)


def test_a_count_target_may_pass_100_and_a_rate_may_be_100(office: tuple[Commune, Person]) -> None:
    commune, officer = office
    assert services.set_target(commune, None, 2026, "classes_held", 150, actor=officer, today=TODAY).value == 150
    assert services.set_target(commune, None, 2026, "basic_skills", 100, actor=officer, today=TODAY).value == 100


def test_an_unknown_indicator_a_bad_year_and_another_commune_s_village_are_refused(
        office: tuple[Commune, Person]) -> None:
    commune, officer = office
    elsewhere = factories.village(factories.commune(factories.COMMUNE_CODES[1]), "Thôn Bắc")
    cases = [((commune, None, 2026, "no_such", 50), "Không có chỉ tiêu mã no_such."),
             ((commune, None, 2019, "basic_skills", 50), "Năm 2019 không hợp lệ."),
             ((commune, None, 2032, "basic_skills", 50), "Năm 2032 không hợp lệ."),
             ((commune, elsewhere, 2026, "basic_skills", 50), "Thôn này không thuộc xã.")]
    for args, message in cases:
        with pytest.raises(DomainError) as refused:
            services.set_target(*args, actor=officer, today=TODAY)
        assert str(refused.value.message) == message
    assert (rows(Target), rows(TargetChange)) == (0, 0)


def test_target_history_and_removal(office: tuple[Commune, Person]) -> None:
    commune, officer = office
    east = factories.village(commune, "Thôn Đông")
    services.set_target(commune, None, 2026, "basic_skills", 80, actor=officer, today=TODAY)
    services.set_target(commune, None, 2026, "basic_skills", 90, actor=officer, today=TODAY)
    services.set_target(commune, None, 2026, "basic_skills", 90, actor=officer, today=TODAY)  # no change: no row
    services.set_target(commune, east, 2026, "basic_skills", 70, actor=officer, today=TODAY)
    services.set_target(commune, None, 2025, "basic_skills", 60, actor=officer, today=TODAY)
    db.session.commit()
    history = services.target_history(commune, 2026)
    assert [(c.village_id, c.old_value, c.new_value, c.by_id) for c in history] == \
        [(east.id, None, 70, officer.id), (None, 80, 90, officer.id), (None, None, 80, officer.id)]
    assert db.session.scalars(select(Target.value).where(Target.year == 2026)).all().count(90) == 1

    assert services.set_target(commune, None, 2026, "basic_skills", None, actor=officer, today=TODAY) is None
    db.session.commit()
    left = db.session.execute(select(Target.village_id, Target.year, Target.value).order_by(Target.year)).all()
    assert left == [(None, 2025, 60), (east.id, 2026, 70)]  # the village's and last year's stay
    newest = services.target_history(commune, 2026)[0]
    assert (newest.village_id, newest.old_value, newest.new_value) == (None, 90, None)
    assert len(services.target_history(commune, 2026, limit=2)) == 2
    changes = rows(TargetChange)
    assert services.set_target(commune, None, 2026, "basic_skills", None, actor=officer, today=TODAY) is None
    assert rows(TargetChange) == changes  # removing a target that is not there changes nothing


# --- populations --------------------------------------------------------------------------------------------

@pytest.fixture
def residents(office: tuple[Commune, Person]) -> dict[str, Any]:
    """Thôn Đông with four adults (one of them public staff), a pupil and two households."""
    commune, officer = office
    east = factories.village(commune, "Thôn Đông")
    west = factories.village(commune, "Thôn Tây")
    for i, (born, tags) in enumerate(((1950, ()), (1970, ("public_staff",)), (1990, ()), (2001, ()),
                                      (2012, ("pupil",)))):
        people.create_person(commune=commune, full_name=f"Nguyễn Văn Số {i}", birth_year=born, village=east,
                             tags=tags)
    people.create_household(village=east, address="Số 1")
    people.create_household(village=east, address="Số 2")
    db.session.commit()
    return {"commune": commune, "officer": officer, "east": east, "west": west}


def test_known_population_counts_each_kind(residents: dict[str, Any]) -> None:
    # The officer (born 1985, no village) is a resident of the commune too.
    assert breakdowns.known_population(residents["commune"].id, residents["east"].id, 2026) == \
        {"adults": 4, "aged_16": 4, "households": 2, "public_staff": 1, "enterprise_workers": 0, "pupils": 1}
    assert breakdowns.known_population(residents["commune"].id, None, 2026)["adults"] == 5
    assert breakdowns.known_population(residents["commune"].id, residents["west"].id, 2026)["adults"] == 0


def test_a_population_smaller_than_the_people_known_is_refused(residents: dict[str, Any]) -> None:
    commune, officer, east = residents["commune"], residents["officer"], residents["east"]
    entry = services.PopulationEntry(east, 2026, Population.ADULTS, 3, "Điều tra dân số")
    with pytest.raises(DomainError) as refused:
        services.set_population(commune, entry, actor=officer, today=TODAY)
    message = str(refused.value.message)
    assert "(3)" in message and "(4)" in message and "người trưởng thành" in message
    assert refused.value.field == "value"
    households = services.PopulationEntry(east, 2026, Population.HOUSEHOLDS, 1, "")
    with pytest.raises(DomainError, match=r"\(1\).*\(2\)"):
        services.set_population(commune, households, actor=officer, today=TODAY)
    db.session.rollback()
    assert rows(Denominator) == 0


def test_a_population_of_another_commune_s_village_or_a_bad_value_is_refused(residents: dict[str, Any]) -> None:
    commune, officer = residents["commune"], residents["officer"]
    far = factories.village(factories.commune(factories.COMMUNE_CODES[1]), "Thôn Bắc")
    for entry, message in (
            (services.PopulationEntry(far, 2026, Population.ADULTS, 500, ""), "Thôn này không thuộc xã."),
            (services.PopulationEntry(None, 2026, Population.ADULTS, -5, ""), "Số liệu dân số không hợp lệ."),
            (services.PopulationEntry(None, 2040, Population.ADULTS, 500, ""), "Năm 2040 không hợp lệ.")):
        with pytest.raises(DomainError) as refused:
            services.set_population(commune, entry, actor=officer, today=TODAY)
        assert str(refused.value.message) == message
    assert rows(Denominator) == 0


def test_a_population_is_recorded_then_replaced(residents: dict[str, Any]) -> None:
    commune, officer, east = residents["commune"], residents["officer"], residents["east"]
    services.set_population(commune, services.PopulationEntry(east, 2026, Population.ADULTS, 4, " Thôn "),
                            actor=officer, today=TODAY)
    services.set_population(commune, services.PopulationEntry(east, 2026, Population.ADULTS, 310, "Điều tra 2026"),
                            actor=officer, today=TODAY)
    services.set_population(commune, services.PopulationEntry(None, 2026, Population.ADULTS, 900, ""),
                            actor=officer, today=TODAY)
    db.session.commit()
    assert [(d.village_id, d.value, d.source) for d in services.populations(commune, 2026)] == \
        [(None, 900, ""), (east.id, 310, "Điều tra 2026")]


# --- hand-entered figures -----------------------------------------------------------------------------------

def test_a_figure_for_a_future_period_or_a_computed_indicator_is_refused(office: tuple[Commune, Person]) -> None:
    commune, officer = office
    cases = [("articles", Period(2027, 1), "Kỳ quý I năm 2027 chưa bắt đầu: chưa thể nhập số liệu.", "period"),
             ("articles", Period(2027), "Kỳ năm 2027 chưa bắt đầu: chưa thể nhập số liệu.", "period"),
             ("basic_skills", Period(2026, 3),
              "Chỉ tiêu này được tính từ dữ liệu của hệ thống, không nhập tay.", "indicator"),
             ("classes_held", Period(2026), "Chỉ tiêu này được tính từ dữ liệu của hệ thống, không nhập tay.",
              "indicator")]
    for code, period, message, field in cases:
        with pytest.raises(DomainError) as refused:
            services.enter_figure(commune, None, code, period, 5, note="", actor=officer, today=TODAY)
        assert (str(refused.value.message), refused.value.field) == (message, field)
    with pytest.raises(DomainError, match="Số liệu không hợp lệ"):
        services.enter_figure(commune, None, "articles", Period(2026, 4), -1, note="", actor=officer, today=TODAY)
    far = factories.village(factories.commune(factories.COMMUNE_CODES[1]), "Thôn Bắc")
    with pytest.raises(DomainError, match="Thôn này không thuộc xã."):
        services.enter_figure(commune, far, "articles", Period(2026, 4), 2, note="", actor=officer, today=TODAY)
    assert rows(ManualFigure) == 0


def test_a_figure_is_entered_changed_and_cleared(office: tuple[Commune, Person]) -> None:
    commune, officer = office
    q4 = Period(2026, 4)  # began on 1 October: open for entry on 3 December
    services.enter_figure(commune, None, "articles", q4, 3, note=" báo xã ", actor=officer, today=TODAY)
    services.enter_figure(commune, None, "articles", q4, 5, note="", actor=officer, today=TODAY)
    db.session.commit()
    assert [(f.value, f.quarter, f.entered_by_id) for f in services.entered_figures(commune, q4)] == \
        [(5, 4, officer.id)]
    assert services.entered_figures(commune, Period(2026)) == []
    services.enter_figure(commune, None, "articles", q4, None, note="", actor=officer, today=TODAY)
    db.session.commit()
    assert rows(ManualFigure) == 0


# --- tasks --------------------------------------------------------------------------------------------------

def test_tasks_in_order_and_overdue(office: tuple[Commune, Person]) -> None:
    commune, officer = office

    def fields(title: str, deadline: dt.date | None, status: str) -> services.TaskFields:
        return services.TaskFields(title, "UBND xã", deadline, "", status, "")

    late = services.save_task(commune, None, fields("Mở lớp cho tiểu thương", dt.date(2026, 11, 30), "in_progress"),
                              year=2026, actor=officer)
    done = services.save_task(commune, None, fields("Tuyên truyền", dt.date(2026, 6, 30), "done"), year=2026,
                              actor=officer)
    due_today = services.save_task(commune, None, fields("Báo cáo", TODAY, "not_started"), year=2026, actor=officer)
    open_ended = services.save_task(commune, None, fields("Thường xuyên", None, "not_started"), year=2026,
                                    actor=officer)
    db.session.commit()
    assert [t.title for t in services.tasks(commune, 2026)] == \
        ["Mở lớp cho tiểu thương", "Tuyên truyền", "Báo cáo", "Thường xuyên"]
    assert [services.overdue(t, TODAY) for t in (late, done, due_today, open_ended)] == [True, False, False, False]
    assert services.overdue(due_today, TODAY + dt.timedelta(days=1))


def test_a_task_without_a_title_or_with_an_unknown_status_is_refused(office: tuple[Commune, Person]) -> None:
    commune, officer = office
    for fields, message in ((services.TaskFields("  ", "", None, "", "done", ""), "Vui lòng nhập tên nhiệm vụ."),
                            (services.TaskFields("Mở lớp", "", None, "", "lost", ""), "Trạng thái không hợp lệ.")):
        with pytest.raises(DomainError) as refused:
            services.save_task(commune, None, fields, year=2026, actor=officer)
        assert str(refused.value.message) == message
    assert rows(Task) == 0


def test_a_population_below_the_adults_the_figures_count_is_refused(world: World) -> None:
    """Residents without a birth year count as adults in the figures, so they count in the check too (else a rate
    could pass 100 %)."""
    officer = factories.person(world.commune, name="Đỗ Thị Lan", role=Role.OFFICER, birth_year=1985)
    north = factories.village(world.commune, "Thôn Bắc")
    module = db.session.scalar(select(Module).where(Module.code == "NCT-01"))
    for name in ("Hoàng Văn Tú", "Hoàng Thị Mai"):
        resident = people.create_person(commune=world.commune, full_name=name, village=north)
        complete(resident, module, BASIC, utc(2026, 3, 1))
    db.session.commit()
    north_adults = figures.breakdown(REGISTRY["basic_skills"], world.commune.id, Period(2026), Dimension.VILLAGE)
    assert north_adults[north.id] == 2
    with pytest.raises(DomainError, match=r"\(1\).*\(2\)"):
        services.set_population(world.commune, services.PopulationEntry(north, 2026, Population.ADULTS, 1, ""),
                                actor=officer, today=TODAY)
    db.session.rollback()
    assert rows(Denominator) == 0
