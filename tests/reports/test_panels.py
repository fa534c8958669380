"""Home-page panels from the commune's numbers: the main target at a glance, and units whose report is late."""
from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from app.extensions import db
from app.indicators import Period, Population
from app.policy import Role
from app.reports import services, targets, writing
from app.reports.charts import number
from app.reports.models import ReportingUnit
from app.vietnam import local_today
from tests import factories
from tests.conftest import login


def test_the_officer_and_the_leader_see_the_year_target_and_late_units(ctx: Any, client: FlaskClient) -> None:
    commune = factories.commune()
    east = factories.village(commune, "Thôn Đông")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    leader = factories.person(commune, name="Trịnh Văn Khải", role=Role.LEADER)
    db.session.add(ReportingUnit(commune_id=commune.id, name="Đoàn Thanh niên xã"))
    today = local_today()
    services.set_population(commune, services.PopulationEntry(None, today.year, Population.ADULTS, 1200, "Công an xã"),
                            actor=officer, today=today)
    db.session.commit()
    for person in (officer, leader):
        page = login(client, person).get("/").get_data(as_text=True)
        assert f"Mục tiêu năm {today.year}" in page
        assert "Người trưởng thành hoàn thành kỹ năng số cơ bản" in page and "0 %" in page
        assert f"mục tiêu {number(targets.default('basic_skills', today.year) or 0)} %" in page
        # Last quarter's unit report, once past its deadline, is listed as a task.
        assert ("Báo cáo quá hạn" in page and "Đoàn Thanh niên xã" in page) == (today > writing.deadline(
            commune.id, last_quarter(today)))
    assert east.name not in login(client, officer).get("/").get_data(as_text=True)


def last_quarter(today: Any) -> Period:
    quarter = (today.month - 1) // 3
    return Period(today.year, quarter) if quarter else Period(today.year - 1, 4)


def test_volunteers_and_learners_see_no_figures_panel(ctx: Any, client: FlaskClient) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    learner = factories.person(commune, name="Bùi Thị Lành")
    db.session.commit()
    for person in (instructor, learner):
        page = login(client, person).get("/").get_data(as_text=True)
        assert "Mục tiêu năm" not in page and "Báo cáo quá hạn" not in page
