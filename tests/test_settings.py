"""The per-commune settings helper: defaults, a commune's own values over them, checks that refuse a bad value and
save nothing, the most specific row winning, and one query per request."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import settings
from app.attendance.models import AttendanceSettings
from app.catalog import services as catalog
from app.certificates.models import CompletionRules
from app.errors import DomainError
from app.extensions import db
from app.places.models import Commune
from app.quizzes.models import AssessmentSettings
from tests import factories
from tests.factories import COMMUNE_CODES
from tests.statements import counting


@dataclass(frozen=True)
class Rules:
    late_window_minutes: int = settings.number(15, 0, 180)
    grace_minutes: int = settings.number(10, 0, 120, message="Từ 0 đến 120 phút.")
    absentee_streak: int = settings.number(3, 1, 20)


@dataclass(frozen=True)
class Signing:
    confirmation: str = settings.choice("officer", ("officer", "auto"), message="Chọn người xác nhận.")
    require_practical: bool = settings.flag(True)
    officer_name: str = settings.text("", 10)


@dataclass(frozen=True)
class Quiz:
    pass_percent: int = settings.number(70, 1, 100)
    time_limit_minutes: int | None = settings.number(None, 1, 240, optional=True)


RULES = settings.Settings(Rules, AttendanceSettings)
SIGNING = settings.Settings(Signing, CompletionRules)
QUIZ = settings.Settings(Quiz, AssessmentSettings, scope=("commune_id", "module_id"))


def _rows(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_defaults_apply_where_no_values_are_stored(ctx: Flask) -> None:
    commune = factories.commune()
    found = RULES.get(commune_id=commune.id)
    assert isinstance(found, Rules) and found == Rules() == RULES.defaults
    assert (found.late_window_minutes, found.grace_minutes, found.absentee_streak) == (15, 10, 3)
    with counting() as ran:
        assert RULES.get(commune_id=None) == Rules()  # no commune: no row can apply, nothing to ask
    assert ran == []


def test_a_communes_own_values_win_and_a_change_keeps_the_others(ctx: Flask) -> None:
    commune, other = factories.commune(), factories.commune(COMMUNE_CODES[1])
    officer = factories.person(commune, name="Đỗ Thị Lan")
    row = RULES.save({"grace_minutes": 5}, actor=officer, commune_id=commune.id)
    assert (row.commune_id, row.grace_minutes, row.late_window_minutes, row.updated_by_id) == (
        commune.id, 5, 15, officer.id)
    RULES.save({"absentee_streak": 4}, commune_id=commune.id)
    assert RULES.get(commune_id=commune.id) == Rules(grace_minutes=5, absentee_streak=4)
    assert RULES.get(commune_id=other.id) == Rules()
    assert _rows(AttendanceSettings) == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"late_window_minutes": 181}, "late_window_minutes", "Giá trị phải từ 0 đến 180."),
    ({"late_window_minutes": -1}, "late_window_minutes", "Giá trị phải từ 0 đến 180."),
    ({"grace_minutes": 5, "absentee_streak": "3"}, "absentee_streak", "Giá trị phải từ 1 đến 20."),
    ({"absentee_streak": True}, "absentee_streak", "Giá trị phải từ 1 đến 20."),
    ({"grace_minutes": None}, "grace_minutes", "Từ 0 đến 120 phút."),
])
def test_a_bad_value_is_refused_with_its_field_and_nothing_is_saved(ctx: Flask, changes, field, message) -> None:
    commune, other = factories.commune(), factories.commune(COMMUNE_CODES[1])
    RULES.save({"grace_minutes": 7}, commune_id=other.id)
    for where in (commune, other):
        with pytest.raises(DomainError) as error:
            RULES.save(changes, commune_id=where.id)
        assert error.value.field == field and str(error.value.message) == message
    db.session.expire_all()
    assert _rows(AttendanceSettings) == 1
    assert RULES.get(commune_id=commune.id) == Rules() and RULES.get(commune_id=other.id) == Rules(grace_minutes=7)


def test_a_name_that_is_not_a_setting_is_a_programming_error(ctx: Flask) -> None:
    commune = factories.commune()
    with pytest.raises(TypeError):
        RULES.save({"late_window": 10}, commune_id=commune.id)
    with pytest.raises(TypeError):
        RULES.get(commune=commune.id)
    assert _rows(AttendanceSettings) == 0


def test_choices_flags_and_text_are_checked_and_tidied(ctx: Flask) -> None:
    commune = factories.commune()
    with pytest.raises(DomainError) as error:
        SIGNING.save({"confirmation": "mayor"}, commune_id=commune.id)
    assert (error.value.field, str(error.value.message)) == ("confirmation", "Chọn người xác nhận.")
    with pytest.raises(DomainError) as error:
        SIGNING.save({"require_practical": "no"}, commune_id=commune.id)
    assert error.value.field == "require_practical"
    SIGNING.save({"confirmation": "auto", "require_practical": False, "officer_name": "  Phạm   Văn  Chủ Tịch "},
                 commune_id=commune.id)
    assert SIGNING.get(commune_id=commune.id) == Signing("auto", False, "Phạm Văn C")


def test_the_system_row_stands_in_for_communes_without_their_own_in_one_query(ctx: Flask) -> None:
    first, second, third = (factories.commune(code) for code in COMMUNE_CODES[:3])
    SIGNING.save({"confirmation": "auto"}, commune_id=None)  # the system's own default
    SIGNING.save({"require_practical": False}, commune_id=first.id)  # over the system's, not the dataclass's
    settings.forget()
    with counting() as ran:
        found = SIGNING.many({"commune_id": c.id} for c in (first, second, third))
    assert len(ran) == 1
    assert found == {first.id: Signing("auto", False), second.id: Signing("auto"), third.id: Signing("auto")}


def test_with_two_scope_columns_the_commune_counts_before_the_module(curriculum) -> None:
    commune, other = factories.commune(), factories.commune(COMMUNE_CODES[1])
    module = catalog.module_by_code("NCT-06")
    assert QUIZ.get(commune_id=commune.id, module_id=module.id) == Quiz()
    QUIZ.save({"pass_percent": 50}, commune_id=None, module_id=None)
    QUIZ.save({"pass_percent": 60}, commune_id=None, module_id=module.id)
    assert QUIZ.get(commune_id=commune.id, module_id=module.id).pass_percent == 60
    QUIZ.save({"pass_percent": 80, "time_limit_minutes": 20}, commune_id=commune.id)
    assert QUIZ.get(commune_id=commune.id, module_id=module.id) == Quiz(80, 20)
    QUIZ.save({"pass_percent": 90}, commune_id=commune.id, module_id=module.id)
    assert QUIZ.get(commune_id=commune.id, module_id=module.id) == Quiz(90, 20)
    assert QUIZ.get(commune_id=commune.id, module_id=None) == Quiz(80, 20)
    assert QUIZ.get(commune_id=other.id, module_id=module.id) == Quiz(60)
    assert QUIZ.get(commune_id=other.id) == Quiz(50)
    QUIZ.save({"time_limit_minutes": None}, commune_id=commune.id)  # optional: empty is allowed
    assert QUIZ.get(commune_id=commune.id).time_limit_minutes is None
    assert _rows(AssessmentSettings) == 4


def test_a_request_asking_twice_queries_once_and_a_save_or_a_new_request_reads_again(app: Flask) -> None:
    with app.test_request_context():
        commune_id = factories.commune().id
        db.session.commit()
        with counting() as ran:
            assert RULES.get(commune_id=commune_id) == RULES.get(commune_id=commune_id) == Rules()
        assert len(ran) == 1
        RULES.save({"grace_minutes": 3}, commune_id=commune_id)
        assert RULES.get(commune_id=commune_id).grace_minutes == 3
        db.session.rollback()  # the save undone: what was read with it is forgotten too
        assert RULES.get(commune_id=commune_id).grace_minutes == 10
        RULES.save({"grace_minutes": 4}, commune_id=commune_id)
        db.session.commit()
        assert RULES.get(commune_id=commune_id).grace_minutes == 4
        with app.test_request_context(), counting() as ran:  # another request (even in the same app context)
            assert RULES.get(commune_id=commune_id).grace_minutes == 4
        assert len(ran) == 1
        db.session.remove()
    with app.app_context(), counting() as ran:  # outside a request (a command, a job) nothing is kept
        assert RULES.get(commune_id=commune_id) == RULES.get(commune_id=commune_id) == Rules(grace_minutes=4)
        assert len(ran) == 2
        db.session.remove()


def test_the_value_in_force_can_be_read_in_sql_with_other_rows(ctx: Flask) -> None:
    own, plain = factories.commune(), factories.commune(COMMUNE_CODES[1])
    RULES.save({"late_window_minutes": 40}, commune_id=own.id)
    found = dict(db.session.execute(select(Commune.id, RULES.in_force("late_window_minutes", commune_id=Commune.id))
                                    .where(Commune.id.in_([own.id, plain.id]))).all())
    assert found == {own.id: 40, plain.id: 15}
    SIGNING.save({"confirmation": "auto"}, commune_id=None)
    SIGNING.save({"confirmation": "officer"}, commune_id=own.id)
    found = dict(db.session.execute(select(Commune.id, SIGNING.in_force("confirmation", commune_id=Commune.id))
                                    .where(Commune.id.in_([own.id, plain.id]))).all())
    assert found == {own.id: "officer", plain.id: "auto"}
