"""Fixtures for the VNeID tests: the mock provider reached in-process, and a commune with a learner."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from tests import factories
from tests.auth.vneid_helpers import InProcess, in_process


@pytest.fixture
def provider(app: Flask) -> Iterator[InProcess]:
    """The mock provider, reached in-process by the app's own HTTP calls."""
    with in_process(app) as adapter:
        yield adapter


@pytest.fixture
def commune(ctx: Flask) -> dict[str, Any]:
    """A commune with a village and Nguyễn Thị Hương (born 1956) already a learner there."""
    commune = factories.commune()
    village = factories.village(commune)
    huong = factories.person(commune, name="Nguyễn Thị Hương", birth_year=1956, village=village)
    db.session.commit()
    return {"commune_id": commune.id, "village_id": village.id, "huong_id": huong.id, "huong_phone": huong.phone}
