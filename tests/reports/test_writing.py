"""Writing reports: drafts, submission freezing the figures, new versions, the units' standings and their sums."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.certificates.models import Completion
from app.errors import DomainError
from app.extensions import db, utcnow
from app.indicators import REGISTRY, Period
from app.people.models import Person
from app.policy import Role
from app.reports import writing
from app.reports.models import Denominator, Report, ReportingUnit, ReportSettings, Target
from tests import factories
from tests.reports.conftest import World

TODAY = dt.date(2026, 12, 3)
Y2026 = Period(2026)


def values(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {row["code"]: row["value"] for row in rows}


def reports() -> int:
    return db.session.scalar(select(func.count()).select_from(Report)) or 0


@pytest.fixture
def setup(world: World, manual_indicators: None) -> dict[str, Any]:
    """The hand-built commune with an officer and three reporting units (one inactive)."""
    officer = factories.person(world.commune, name="Đỗ Thị Lan", role=Role.OFFICER, birth_year=None)
    east = ReportingUnit(commune_id=world.commune.id, name="Thôn Đông", village_id=world.village_id("Đông"))
    youth = ReportingUnit(commune_id=world.commune.id, name="Đoàn Thanh niên xã")
    closed = ReportingUnit(commune_id=world.commune.id, name="Hội Nông dân", active=False)
    db.session.add_all([east, youth, closed])
    db.session.commit()
    return {"world": world, "officer": officer, "east": east, "youth": youth, "closed": closed}


def test_a_report_for_a_period_not_begun_is_refused(setup: dict[str, Any]) -> None:
    world, officer = setup["world"], setup["officer"]
    for period, message in ((Period(2027), "Kỳ năm 2027 chưa bắt đầu: chưa thể lập báo cáo."),
                            (Period(2027, 1), "Kỳ quý I năm 2027 chưa bắt đầu: chưa thể lập báo cáo.")):
        with pytest.raises(DomainError) as refused:
            writing.open_report(world.commune, None, period, actor=officer, today=TODAY)
        assert (str(refused.value.message), refused.value.field) == (message, "period")
    other_unit = ReportingUnit(commune_id=world.other.id, name="Thôn Bắc")
    db.session.add(other_unit)
    db.session.flush()
    with pytest.raises(DomainError, match="Đơn vị này không thuộc xã."):
        writing.open_report(world.commune, other_unit, Y2026, actor=officer, today=TODAY)
    assert reports() == 0


def test_opening_twice_returns_the_same_draft(setup: dict[str, Any]) -> None:
    world, officer = setup["world"], setup["officer"]
    first = writing.open_report(world.commune, None, Period(2026, 4), actor=officer, today=TODAY)
    again = writing.open_report(world.commune, None, Period(2026, 4), actor=officer, today=TODAY)
    assert first.id == again.id and (first.version, first.status, first.quarter) == (1, "draft", 4)


def _confirm_minh(world: World) -> None:
    """Minh's completion (the full basic set, merely eligible) is confirmed after the report was sent."""
    row = db.session.scalar(select(Completion).where(Completion.person_id == world.people["Minh"].id))
    assert row is not None
    row.status, row.confirmed_at = "confirmed", utcnow()
    db.session.commit()


def test_submission_freezes_the_figures_and_a_new_version_shows_today_s(setup: dict[str, Any]) -> None:
    world, officer = setup["world"], setup["officer"]
    report = writing.open_report(world.commune, None, Y2026, actor=officer, today=TODAY)
    writing.save_draft(report, {"intro": "  Mở đầu  ", "results": "Kết quả", "unknown": "bỏ qua"},
                       {"articles": " 7 ", "basic_skills": "99", "test_stock": ""}, number="12/BC-UBND",
                       actor=officer)
    draft = values(writing.figures_for(report))
    assert (draft["basic_skills"], draft["articles"], draft["test_stock"]) == (7, 7, None)
    writing.submit(report, actor=officer)
    db.session.commit()

    _confirm_minh(world)
    sent = db.session.get(Report, report.id)
    assert sent is not None and sent.locked
    frozen = writing.figures_for(sent)
    assert (values(frozen)["basic_skills"], values(frozen)["articles"]) == (7, 7)
    basic = next(row for row in frozen if row["code"] == "basic_skills")
    assert (basic["previous"], basic["population"], basic["target"]) == (2, None, 100)
    held = next(row for row in frozen if row["code"] == "classes_held")
    assert held["details"] == ["Lớp điện thoại cho người cao tuổi (Người cao tuổi)",
                               "Lớp dịch vụ công trực tuyến (Mọi người dân)"]
    assert values(writing.live_figures(sent))["basic_skills"] == 8  # today's, for comparison only

    second = writing.new_version(sent, actor=officer)
    db.session.commit()
    assert (second.version, second.status, second.number) == (2, "draft", "")
    assert second.sections == sent.sections and second.sections["intro"] == "Mở đầu"
    assert "unknown" not in second.sections and second.entered == {"articles": 7}
    assert (values(writing.figures_for(second))["basic_skills"], values(writing.figures_for(second))["articles"]) \
        == (8, 7)
    assert writing.latest(world.commune.id, None, Y2026).id == second.id  # type: ignore[union-attr]


def test_a_submitted_report_cannot_be_edited(setup: dict[str, Any]) -> None:
    world, officer = setup["world"], setup["officer"]
    report = writing.open_report(world.commune, None, Y2026, actor=officer, today=TODAY)
    writing.save_draft(report, {"intro": "Bản đã gửi"}, {"articles": "3"}, number="1", actor=officer)
    writing.submit(report, actor=officer)
    db.session.commit()
    for change in (lambda: writing.save_draft(report, {"intro": "Sửa sau khi gửi"}, {"articles": "9"}, number="2",
                                              actor=officer),
                   lambda: writing.submit(report, actor=officer)):
        with pytest.raises(DomainError) as refused:
            change()
        assert str(refused.value.message) == str(writing.LOCKED)
        db.session.rollback()
    db.session.expire_all()
    kept = db.session.get(Report, report.id)
    assert kept is not None
    assert (kept.sections["intro"], kept.entered, kept.number, kept.status) == ("Bản đã gửi", {"articles": 3}, "1",
                                                                                 "submitted")


def test_new_version_only_from_the_newest_submitted_report(setup: dict[str, Any]) -> None:
    world, officer = setup["world"], setup["officer"]
    report = writing.open_report(world.commune, None, Y2026, actor=officer, today=TODAY)
    with pytest.raises(DomainError, match="vẫn là bản nháp"):
        writing.new_version(report, actor=officer)
    writing.submit(report, actor=officer)
    writing.new_version(report, actor=officer)
    with pytest.raises(DomainError, match="Đã có phiên bản mới hơn"):
        writing.new_version(report, actor=officer)
    assert reports() == 2


@pytest.mark.parametrize(("raw", "message"), [("ba", "phải là số nguyên"), ("-2", "không hợp lệ"),
                                              ("10000001", "không hợp lệ")])
def test_a_bad_hand_entered_figure_is_refused(setup: dict[str, Any], raw: str, message: str) -> None:
    world, officer = setup["world"], setup["officer"]
    report = writing.open_report(world.commune, None, Y2026, actor=officer, today=TODAY)
    writing.save_draft(report, {"intro": "Trước"}, {"articles": "4"}, number="", actor=officer)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        writing.save_draft(report, {"intro": "Sau"}, {"articles": raw}, number="", actor=officer)
    assert message in str(refused.value.message) and refused.value.field == "figure-articles"
    db.session.rollback()
    assert (report.sections["intro"], report.entered) == ("Trước", {"articles": 4})


def test_a_village_unit_reports_its_village_and_a_body_only_what_it_enters(setup: dict[str, Any]) -> None:
    world, officer = setup["world"], setup["officer"]
    village = writing.open_report(world.commune, setup["east"], Y2026, actor=officer, today=TODAY)
    writing.save_draft(village, {}, {"articles": "3"}, number="", actor=officer)
    shown = values(writing.figures_for(village))
    assert (shown["basic_skills"], shown["classes_held"], shown["learners_trained"], shown["articles"]) == (4, 1, 3, 3)
    assert all(row["details"] == [] for row in writing.figures_for(village))  # class names: the commune's report
    body = writing.open_report(world.commune, setup["youth"], Y2026, actor=officer, today=TODAY)
    writing.save_draft(body, {}, {"articles": "2"}, number="", actor=officer)
    rows = writing.figures_for(body)
    assert "basic_skills" not in values(rows) and values(rows)["articles"] == 2
    assert all(row["population"] is None and row["target"] is None for row in rows)


def _submit(unit: ReportingUnit, world: World, officer: Person, entered: dict[str, str]) -> Report:
    report = writing.open_report(world.commune, unit, Y2026, actor=officer, today=TODAY)
    writing.save_draft(report, {}, entered, number="", actor=officer)
    writing.submit(report, actor=officer)
    return report


def test_standings_say_who_is_late_and_summed_adds_what_was_submitted(setup: dict[str, Any]) -> None:
    world, officer, east, youth = setup["world"], setup["officer"], setup["east"], setup["youth"]
    sent = _submit(east, world, officer, {"articles": "3"})
    draft = writing.open_report(world.commune, youth, Y2026, actor=officer, today=TODAY)
    db.session.commit()

    before = writing.standings(world.commune.id, Y2026, dt.date(2026, 12, 5))  # the default deadline: 5 December
    assert [(s.unit.name, s.due, s.late) for s in before] == \
        [("Thôn Đông", dt.date(2026, 12, 5), False), ("Đoàn Thanh niên xã", dt.date(2026, 12, 5), False)]
    after = writing.standings(world.commune.id, Y2026, dt.date(2026, 12, 6))
    assert [(s.unit.name, s.late) for s in after] == [("Thôn Đông", False), ("Đoàn Thanh niên xã", True)]
    assert (after[0].report, after[0].submitted) == (sent, sent)
    assert (after[1].report, after[1].submitted) == (draft, None)
    assert writing.summed(after)["articles"] == 3  # the youth union's draft adds nothing

    writing.save_draft(draft, {}, {"articles": "2", "test_flow": "40"}, number="", actor=officer)
    writing.submit(draft, actor=officer)
    writing.new_version(sent, actor=officer)  # a new draft of Đông: its submitted version still counts
    db.session.commit()
    now = writing.standings(world.commune.id, Y2026, dt.date(2026, 12, 6))
    assert [(s.report and s.report.version, s.submitted and s.submitted.version, s.late) for s in now] == \
        [(2, 1, False), (1, 1, False)]
    totals = writing.summed(now)
    # Đông's village figures (An, Bình, Chi, Oanh; the phone class; An, Tâm, Bình) plus both units' entries.
    assert {code: totals.get(code) for code in ("basic_skills", "classes_held", "learners_trained", "articles",
                                                "test_flow", "test_stock")} == \
        {"basic_skills": 4, "classes_held": 1, "learners_trained": 3, "articles": 5, "test_flow": 40,
         "test_stock": None}


def test_deadlines_default_and_custom(setup: dict[str, Any]) -> None:
    commune_id = setup["world"].commune.id
    assert writing.deadline(commune_id, Period(2026, 3)) == dt.date(2026, 10, 5)
    assert writing.deadline(commune_id, Y2026) == dt.date(2026, 12, 5)
    assert writing.deadline(commune_id, Y2026, for_commune=True) == dt.date(2026, 12, 10)
    db.session.add(ReportSettings(commune_id=commune_id, unit_year_deadline="11-30", commune_year_deadline="12-15",
                                  quarter_days=10))
    db.session.commit()
    assert writing.deadline(commune_id, Period(2026, 3)) == dt.date(2026, 10, 10)
    assert writing.deadline(commune_id, Period(2026, 4)) == dt.date(2027, 1, 10)
    assert writing.deadline(commune_id, Y2026) == dt.date(2026, 11, 30)
    assert writing.deadline(commune_id, Y2026, for_commune=True) == dt.date(2026, 12, 15)
    assert [u.name for u in writing.units(commune_id)] == ["Thôn Đông", "Đoàn Thanh niên xã"]
    every = [u.name for u in writing.units(commune_id, active_only=False)]  # villages first; then by collation
    assert every[0] == "Thôn Đông" and set(every[1:]) == {"Hội Nông dân", "Đoàn Thanh niên xã"}


def test_a_village_where_nothing_was_counted_still_reports(setup: dict[str, Any]) -> None:
    world, officer = setup["world"], setup["officer"]
    north = factories.village(world.commune, "Thôn Bắc")
    db.session.add_all([Denominator(commune_id=world.commune.id, village_id=north.id, year=2026, kind="adults",
                                    value=40),
                        Target(commune_id=world.commune.id, village_id=north.id, year=2026, indicator="basic_skills",
                               value=60)])
    unit = ReportingUnit(commune_id=world.commune.id, name="Thôn Bắc", village_id=north.id)
    db.session.add(unit)
    db.session.flush()
    report = _submit(unit, world, officer, {"articles": "5"})
    rows = {row["code"]: row for row in writing.figures_for(report)}
    assert (rows["articles"]["value"], rows["basic_skills"]["value"], rows["classes_held"]["value"]) == (5, 0, 0)
    assert (rows["basic_skills"]["population"], rows["basic_skills"]["target"], rows["basic_skills"]["rate"]) == \
        (40, 60, 0.0)
    standing = next(s for s in writing.standings(world.commune.id, Y2026, TODAY) if s.unit.id == unit.id)
    assert writing.summed([standing])["articles"] == 5


def test_a_report_sent_from_an_english_screen_keeps_the_figures_names_in_vietnamese(setup: dict[str, Any]) -> None:
    world, officer = setup["world"], setup["officer"]
    report = writing.open_report(world.commune, None, Y2026, actor=officer, today=TODAY)
    with force_locale("en"):
        assert str(REGISTRY["classes_held"].name) == "Digital-skills classes held"  # the screen is in English
        writing.submit(report, actor=officer)
    names = {row["code"]: row["name"] for row in report.figures or ()}
    assert names["classes_held"] == "Số lớp phổ cập kỹ năng số đã tổ chức"
    assert names["basic_skills"] == "Người trưởng thành hoàn thành kỹ năng số cơ bản"
