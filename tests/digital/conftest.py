"""A commune with a resident who agreed to digital support, one who did not, and the staff who meet them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from app.extensions import db
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune, Village
from app.policy import Role
from tests import factories


def agree(person: Person) -> None:
    people.record_consent(person, purpose="digital_support", method="paper", policy_version="test", recorded_by=None)


@dataclass
class World:
    commune: Commune
    dong: Village
    tay: Village
    huong: Person  # agreed
    binh: Person  # did not agree
    officer: Person
    team: Person  # Thôn Đông's team
    ambassador: Person
    youth: Person


@pytest.fixture
def world(ctx: Any) -> World:
    commune = factories.commune()
    dong, tay = factories.village(commune, "Thôn Đông"), factories.village(commune, "Thôn Tây")
    huong = factories.person(commune, name="Nguyễn Thị Hương", village=dong, birth_year=1956, gender="female")
    binh = factories.person(commune, name="Trần Văn Bình", village=dong, birth_year=1952, gender="male")
    agree(huong)
    built = World(commune, dong, tay, huong, binh,
                  officer=factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER),
                  team=factories.person(commune, name="Hoàng Văn Nam", role=Role.TEAM_MEMBER, role_village=dong),
                  ambassador=factories.person(commune, name="Vũ Thị Thu", role=Role.AMBASSADOR),
                  youth=factories.person(commune, name="Lê Quang Huy", role=Role.YOUTH_ORGANISER))
    db.session.commit()
    return built
