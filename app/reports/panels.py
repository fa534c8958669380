"""Home-page panels from the commune's numbers: this year's main target at a glance, and reports that are late."""
from __future__ import annotations

from typing import Any

from app import policy
from app.home import panels
from app.indicators import Period
from app.reports import figures, writing
from app.reports.charts import number
from app.vietnam import local_today

MAIN = "basic_skills"


def _commune(person: Any, action: str) -> int | None:
    found = policy.commune_ids(person, action)
    if found is None:
        return person.commune_id
    return min(found) if found else None


def target_panel(person: Any) -> dict[str, Any] | None:
    """Adults with basic digital skills against this year's target, in the person's commune (five statements)."""
    commune_id = _commune(person, "reports.manage")
    if commune_id is None:
        return None
    period = Period(local_today().year)
    figure = figures.figures(commune_id, period, codes=[MAIN])[figures.ALL][0]
    return {"commune_id": commune_id, "figure": figure, "period": period,
            "rate": None if figure.rate is None else number(figure.rate),
            "target": None if not figure.target else number(figure.target),
            "value": number(figure.value or 0)}


def late_panel(person: Any) -> dict[str, Any] | None:
    """Reporting units whose report for last quarter or last year is past its deadline and not submitted."""
    commune_id = _commune(person, "reports.write")
    if commune_id is None:
        return None
    today = local_today()
    quarter = (today.month - 1) // 3
    period = Period(today.year, quarter) if quarter else Period(today.year - 1, 4)
    late = [s for s in writing.standings(commune_id, period, today) if s.late]
    if not late:
        return None
    return {"commune_id": commune_id, "period": period, "late": late}


panels.add(panels.Panel("reports_target", "reports/_panel_target.html", "reports.manage", 4, target_panel))
panels.add(panels.Panel("reports_late", "reports/_panel_late.html", "reports.write", 4, late_panel, task=True))
