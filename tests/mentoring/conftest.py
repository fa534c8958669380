"""A commune with two ambassadors, an officer, residents who consented to digital support, and the framework."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from app.extensions import db
from app.people import services as people
from app.policy import Role
from tests import factories


@dataclass
class Commune:
    commune: Any
    east: Any
    west: Any
    thu: Any  # ambassador of the whole commune
    tam: Any  # ambassador of Thôn Tây only
    lan: Any  # officer
    residents: list[Any]
    refused: Any  # a resident who has not consented to digital support


def consent(person: Any) -> None:
    people.record_consent(person, purpose="digital_support", method="paper", policy_version="test", recorded_by=None)


@pytest.fixture
def place(ctx: Any, curriculum: Any) -> Commune:
    commune = factories.commune()
    east, west = factories.village(commune, "Thôn Đông"), factories.village(commune, "Thôn Tây")
    thu = factories.person(commune, name="Vũ Thị Thu", role=Role.AMBASSADOR, village=west)
    tam = factories.person(commune, name="Lê Văn Tâm", role=Role.AMBASSADOR, role_village=west, village=west)
    lan = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    names = ("Phạm Văn Đức", "Vũ Thị Nga", "Ngô Văn Sáu", "Mai Thị Xuân", "Trần Văn Bình", "Kiều Văn Phúc")
    residents = [factories.person(commune, name=n, village=west if i < 4 else east, birth_year=1950 + i)
                 for i, n in enumerate(names)]
    for r in residents:
        consent(r)
    refused = factories.person(commune, name="Lý Văn Toàn", village=west)
    db.session.commit()
    return Commune(commune, east, west, thu, tam, lan, residents, refused)
