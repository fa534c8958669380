"""Kiosk rules: Vietnamese name order, idle times per commune, one-tap check-in through attendance."""
from __future__ import annotations

import datetime as dt

import pytest

from app.attendance import settings as attendance_settings
from app.classes import enrolment
from app.errors import DomainError
from app.extensions import db, utcnow
from app.kiosk import services, settings
from app.policy import Role
from tests import factories


def _sorted(names: list[str]) -> list[str]:
    return sorted(names, key=services.given_name_key)


def test_letters_sort_in_vietnamese_alphabetical_order_and_tones_in_dictionary_order() -> None:
    assert _sorted(["Ân", "Án", "Ăn", "An", "Bình", "Đức", "Dũng", "Ơn", "Ôn", "On"]) == [
        "An", "Án", "Ăn", "Ân", "Bình", "Dũng", "Đức", "On", "Ôn", "Ơn"]
    assert _sorted(["Hạ", "Há", "Hã", "Hả", "Hà", "Ha"]) == ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"]
    assert _sorted(["Ưng", "Uyên", "Vân"]) == ["Uyên", "Ưng", "Vân"]


def test_names_sort_by_given_name_then_middle_then_family() -> None:
    names = ["Trần Thị Hương", "Nguyễn Thị Hương", "Lê Văn Hùng", "Nguyễn Thị Hùng", "Đỗ Anh", "Võ Bảo Anh"]
    assert _sorted(names) == ["Đỗ Anh", "Võ Bảo Anh", "Nguyễn Thị Hùng", "Lê Văn Hùng", "Nguyễn Thị Hương",
                              "Trần Thị Hương"]


def test_decomposed_and_differently_cased_names_sort_alike() -> None:
    import unicodedata

    assert services.given_name_key(unicodedata.normalize("NFD", "Nguyễn Thị Ánh")) == \
        services.given_name_key("NGUYỄN THỊ ÁNH")
    assert services.given_name_key("") == ((), (), ())


def test_idle_times_default_to_five_minutes_on_lessons_and_two_elsewhere(ctx) -> None:
    commune = factories.commune()
    assert settings.idle_times(commune.id) == settings.IdleTimes(300, 120)
    assert settings.countdown(300) == 30 and settings.countdown(120) == 30 and settings.countdown(8) == 4
    settings.save_minutes(commune, 10, 3, actor=None)
    assert settings.idle_times(commune.id) == settings.IdleTimes(600, 180)
    with pytest.raises(DomainError):
        settings.save_minutes(commune, 0, 3, actor=None)
    with pytest.raises(DomainError):
        settings.save_minutes(commune, 5, True, actor=None)
    with pytest.raises(DomainError):
        settings.save_seconds(commune, 0, 3, actor=None)


@pytest.fixture
def room(curriculum):
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, instructors=(instructor,))
    huong = factories.person(commune, name="Nguyễn Thị Hương")
    enrolment.enrol(klass, huong, source="staff")
    db.session.flush()
    kiosk = services.Kiosk(klass.id, instructor.id, utcnow())
    return {"class": klass, "huong": huong, "kiosk": kiosk, "commune": commune}


def test_check_in_on_the_kiosk_uses_attendances_window_and_grace(room) -> None:
    session = factories.session_now(room["class"], started_minutes_ago=5)
    now = utcnow()
    offer = services.checkin_offer(room["kiosk"], room["huong"], now)
    assert offer is not None and offer.state == "open" and offer.status is None
    result = services.check_in_here(room["kiosk"], room["huong"], now)
    assert result.changed and result.status == "present" and result.session.id == session.id
    assert services.checkin_offer(room["kiosk"], room["huong"], now).status == "present"
    # After the late window the session no longer offers a check-in.
    late = attendance_settings.settings_for(room["commune"].id).late_window_minutes
    after = session.ends_at + dt.timedelta(minutes=late + 1)
    assert services.checkin_offer(room["kiosk"], room["huong"], after) is None


def test_no_check_in_without_a_session_today(room) -> None:
    factories.class_session(room["class"], on=dt.date.today() + dt.timedelta(days=3))
    assert services.checkin_offer(room["kiosk"], room["huong"], utcnow()) is None
    with pytest.raises(DomainError):
        services.check_in_here(room["kiosk"], room["huong"], utcnow())


def test_a_learner_withdrawn_from_the_class_cannot_check_in_on_its_kiosk(room) -> None:
    factories.session_now(room["class"])
    outsider = factories.person(room["commune"], name="Ngô Văn Sáu")
    with pytest.raises(DomainError):
        services.check_in_here(room["kiosk"], outsider, utcnow())
