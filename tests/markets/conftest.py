"""A commune with two villages, a market of the commune and a trading point of one village, staff of each role,
traders with and without consent to digital support, and a second commune whose market must stay out of reach."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.markets import services
from app.markets.models import Market
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune, Village
from app.policy import Role
from tests import factories
from tests.conftest import ROOT


@dataclass
class World:
    commune: Commune
    east: Village
    west: Village
    market: Market  # Chợ Tiên Minh, commune-wide
    east_point: Market  # a trading point of Thôn Đông
    officer: Person
    team_east: Person  # a team member scoped to Thôn Đông
    youth: Person
    leader: Person
    trader: Person  # a trader of Thôn Đông who consented to digital support
    shy_trader: Person  # a trader who has not
    west_trader: Person  # a trader of Thôn Tây, with consent
    other: Commune
    other_market: Market
    other_officer: Person
    other_trader: Person


def consent(person: Person) -> None:
    people.record_consent(person, purpose="digital_support", method="paper", policy_version="test", recorded_by=None)


def make_world() -> World:
    commune = factories.commune(factories.COMMUNE_CODES[0])
    east, west = factories.village(commune, "Thôn Đông"), factories.village(commune, "Thôn Tây")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    team_east = factories.person(commune, name="Hoàng Văn Nam", role=Role.TEAM_MEMBER, role_village=east)
    youth = factories.person(commune, name="Lê Quang Huy", role=Role.YOUTH_ORGANISER)
    leader = factories.person(commune, name="Trịnh Văn Khải", role=Role.LEADER)
    trader = factories.person(commune, name="Hoàng Thị Lụa", village=east, tags=("trader",))
    shy = factories.person(commune, name="Bùi Thị Hạnh", village=east, tags=("trader",))
    west_trader = factories.person(commune, name="Hà Thị Nhung", village=west, tags=("trader",))
    consent(trader)
    consent(west_trader)
    market = services.save_market(commune, services.MarketFields("Chợ Tiên Minh", "market", None, "Trung tâm xã"),
                                  actor=officer)
    east_point = services.save_market(commune, services.MarketFields("Điểm kinh doanh thôn Đông", "trade_point",
                                                                     east.id), actor=officer)
    other = factories.commune(factories.COMMUNE_CODES[1])
    other_officer = factories.person(other, name="Mai Văn Khách", role=Role.OFFICER)
    other_trader = factories.person(other, name="Phan Thị Quế", tags=("trader",))
    consent(other_trader)
    other_market = services.save_market(other, services.MarketFields("Chợ Việt An", "market", None),
                                        actor=other_officer)
    db.session.commit()
    return World(commune, east, west, market, east_point, officer, team_east, youth, leader, trader, shy,
                 west_trader, other, other_market, other_officer, other_trader)


@pytest.fixture
def world(ctx: Flask) -> World:
    return make_world()


@pytest.fixture(scope="session")
def courses_4t(tmp_path_factory: pytest.TempPathFactory, app: Flask) -> Any:
    """The framework, two 4T modules and the 4T track, read once."""
    from app.catalog import content

    root = tmp_path_factory.mktemp("courses4t")
    shutil.copytree(ROOT / "courses" / "framework", root / "framework")
    for name in ("4t-01", "4t-02"):
        shutil.copytree(ROOT / "courses" / "modules" / name, root / "modules" / name)
    (root / "tracks.yaml").write_text("- code: tieu-thuong-4t\n  audience: trader\n"
                                      "  title: {vi: \"Tiểu thương – mô hình 4T\"}\n  modules: [4T-01, 4T-02]\n",
                                      encoding="utf-8")
    with app.app_context():
        return content.read_courses(root)


@pytest.fixture
def track_4t(ctx: Flask, courses_4t: Any) -> Any:
    from app.catalog import services as catalog

    catalog.sync(courses_4t)
    db.session.commit()
    return courses_4t
