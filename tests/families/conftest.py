"""A commune with two villages and households, and a way to mark someone as having completed basic digital skills."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from app.catalog.models import FrameworkVersion
from app.certificates import milestones
from app.certificates.models import SkillMilestone
from app.extensions import db
from app.people import services as people
from app.people.models import Household, Person
from app.places.models import Commune, Village
from app.policy import Role
from tests import factories


def framework() -> FrameworkVersion:
    """A framework in force (milestones point at one)."""
    version = FrameworkVersion(code="khung-test", version="1", title_vi="Khung kỹ năng số", content_hash="x",
                               data={"basic_completion": {"skills": ["1.1"]}}, is_current=True)
    db.session.add(version)
    db.session.flush()
    return version


def complete(person: Person, at: dt.datetime) -> None:
    """Mark the person as having completed the basic digital skills at a moment."""
    version = db.session.query(FrameworkVersion).filter_by(is_current=True).first() or framework()
    db.session.add(SkillMilestone(person_id=person.id, milestone=milestones.BASIC, framework_version_id=version.id,
                                  reached_at=at))
    db.session.flush()


@dataclass
class World:
    commune: Commune
    dong: Village
    tay: Village
    officer: Person
    team: Person  # a team member of Thôn Đông
    homes: dict[str, Household]
    members: dict[str, Person]


def member(commune: Commune, home: Household, name: str, born: int) -> Person:
    return factories.person(commune, name=name, village=home.village, birth_year=born, household=home,
                            account=False, with_phone=False)


@pytest.fixture
def world(ctx: Any) -> World:
    commune = factories.commune()
    dong, tay = factories.village(commune, "Thôn Đông"), factories.village(commune, "Thôn Tây")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    team = factories.person(commune, name="Hoàng Văn Nam", role=Role.TEAM_MEMBER, role_village=dong)
    framework()
    homes = {
        "a": people.create_household(village=dong, address="Số 3, đường Làng"),
        "b": people.create_household(village=dong, address="Số 1, đường Làng"),
        "c": people.create_household(village=tay, address="Số 7, xóm Bến"),
        "empty": people.create_household(village=tay, address="Số 9, xóm Bến"),
    }
    homes["a"].alley, homes["b"].alley, homes["c"].alley = "Ngõ 2", "Ngõ 1", "Xóm Bến"
    members = {
        "an": member(commune, homes["a"], "Nguyễn Văn An", 1970),
        "binh": member(commune, homes["a"], "Nguyễn Thị Bình", 1972),
        "chau": member(commune, homes["a"], "Nguyễn Minh Châu", 2012),  # a child
        "dung": member(commune, homes["b"], "Trần Văn Dũng", 1950),
        "em": member(commune, homes["c"], "Lê Thị Em", 1985),
    }
    db.session.commit()
    return World(commune, dong, tay, officer, team, homes, members)
