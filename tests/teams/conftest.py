"""A commune with two villages, a team in Thôn Đông and households to visit (one member consents, one does not)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from app.digital.services import PURPOSE
from app.extensions import db
from app.people import services as people
from app.people.models import Household, Person
from app.places.models import Commune, Village
from app.policy import Role
from app.teams import services
from app.teams.models import Team
from tests import factories


@dataclass
class Place:
    commune: Commune
    dong: Village
    tay: Village
    team: Team
    nam: Person  # the team's leader
    officer: Person
    home: Household  # Thôn Đông, Ngõ 3
    huong: Person  # consents to digital_support
    binh: Person  # does not
    west: Household  # Thôn Tây
    other_commune: Commune


def consent(person: Person) -> None:
    people.record_consent(person, purpose=PURPOSE, method="paper", policy_version="test", recorded_by=None)


def household(village: Village, address: str, alley: str = "", *members: Person) -> Household:
    home = people.create_household(village=village, address=address)
    home.alley = alley
    for member in members:
        member.household_id = home.id
    db.session.flush()
    return home


def build() -> Place:
    commune = factories.commune()
    dong, tay = factories.village(commune), factories.village(commune, "Thôn Tây")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    nam = factories.person(commune, name="Hoàng Văn Nam", role=None, village=dong)
    team = services.create_team(commune, dong, "", actor=officer)
    services.add_member(team, nam, actor=officer)
    services.set_leader(team, nam)
    huong = factories.person(commune, name="Nguyễn Thị Hương", village=dong)
    binh = factories.person(commune, name="Trần Văn Bình", village=dong, birth_year=1952)
    consent(huong)
    home = household(dong, "Số 12, ngõ 3", "Ngõ 3", huong, binh)
    west = household(tay, "Số 4, xóm Bãi", "Xóm Bãi", factories.person(commune, name="Phạm Văn Đức", village=tay))
    other = factories.commune(factories.COMMUNE_CODES[1])
    db.session.commit()
    return Place(commune, dong, tay, team, nam, officer, home, huong, binh, west, other)


@pytest.fixture
def place(ctx: Any) -> Place:
    return build()
