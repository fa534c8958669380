"""The commune's figures and its dashboard cost the same number of SQL statements for a commune of 2 villages and a
few learners as for one of 15 villages and many learners, in classes of this year and last, with completions,
populations and hand-entered figures in every village (issue 14)."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, insert, select

from app.certificates.models import CompletionSkill
from app.demo import services as demo
from app.extensions import db
from app.indicators import Period, Population
from app.people.models import Person
from app.places.models import Commune
from app.policy import Role
from app.reports import figures
from app.reports.indicators import MANUAL
from app.reports.models import Denominator, ManualFigure
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.statements import counting

SMALL = (2, 40)  # villages, learners
LARGE = (15, 1500)


def _commune(code: str, villages: int, learners: int) -> tuple[Commune, Person]:
    """A commune with villages, generated learners in classes, populations and hand-entered figures everywhere."""
    commune = factories.commune(code)
    made = [factories.village(commune, name=f"Thôn {n + 1}") for n in range(villages)]
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    db.session.refresh(commune)
    demo.generate_learners(commune, learners)
    ids = list(db.session.scalars(select(Person.id).where(Person.commune_id == commune.id,
                                                          Person.id != officer.id)))
    today = local_today()
    demo.generate_classes(commune, ids, today=today)
    years = (today.year, today.year - 1)
    db.session.execute(insert(Denominator), [
        {"commune_id": commune.id, "village_id": v.id, "year": y, "kind": kind.value, "value": 10 * learners,
         "source": ""} for v in made for y in years for kind in Population])
    db.session.execute(insert(ManualFigure), [
        {"commune_id": commune.id, "village_id": v.id, "indicator": i.code, "year": y, "quarter": 1, "value": 7,
         "note": ""} for v in made for y in years for i in MANUAL])
    db.session.commit()
    return commune, officer


@pytest.fixture
def communes(ctx: Flask, curriculum: Any) -> dict[str, tuple[Commune, Person]]:
    small = _commune(factories.COMMUNE_CODES[0], *SMALL)
    large = _commune(factories.COMMUNE_CODES[1], *LARGE)
    return {"small": small, "large": large}


def test_the_large_commune_really_has_more_of_everything(communes: dict[str, tuple[Commune, Person]]) -> None:
    period = Period(local_today().year)
    table = {name: figures.figures(commune.id, period) for name, (commune, _) in communes.items()}
    assert len(table["large"]) > len(table["small"]) >= 3  # the commune and each of its villages
    learners = {name: next(f.value for f in rows[figures.ALL] if f.indicator.code == "learners_trained")
                for name, rows in table.items()}
    assert learners["large"] > 10 * learners["small"] > 0
    assert db.session.scalar(select(func.count()).select_from(CompletionSkill)) > 0


def test_figures_cost_the_same_statements_whatever_the_villages_and_learners(
        communes: dict[str, tuple[Commune, Person]]) -> None:
    period = Period(local_today().year)
    counts = {}
    for name, (commune, _) in communes.items():
        figures.figures(commune.id, period)  # warm-up: nothing per process is counted
        with counting() as ran:
            figures.figures(commune.id, period)
        counts[name] = len(ran)
    assert counts["small"] == counts["large"], counts
    quarter = Period(local_today().year, (local_today().month - 1) // 3 + 1)
    with counting() as small:
        figures.figures(communes["small"][0].id, quarter)
    with counting() as large:
        figures.figures(communes["large"][0].id, quarter)
    assert len(small) == len(large)


def test_the_dashboard_costs_the_same_statements_whatever_the_villages_and_learners(
        app: Flask, communes: dict[str, tuple[Commune, Person]]) -> None:
    year = local_today().year
    counts = {}
    for name, (commune, officer) in communes.items():
        client = login(app.test_client(), officer)
        path = f"/reports/commune/{commune.id}?year={year}"
        assert client.get(path).status_code == 200  # warm-up
        with counting() as ran:
            response = client.get(path)
        assert response.status_code == 200
        counts[name] = len(ran)
    assert counts["small"] == counts["large"], counts
