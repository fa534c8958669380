"""Home-page panels from certificates: classes with learners waiting for the officer's confirmation (a task), and
the year's figures an officer or organiser is judged on (learners, completed, certified)."""
from __future__ import annotations

from typing import Any

from app.certificates import progress
from app.classes import queries
from app.home import panels
from app.vietnam import local_today


def confirmations_panel(person: Any) -> dict[str, Any] | None:
    """Classes where learners meet the completion rules but nobody has confirmed them yet."""
    waiting = progress.waiting_classes(queries.within_reach(person, "certificates.manage"))
    return {"classes": waiting} if waiting else None


def figures_panel(person: Any) -> dict[str, Any] | None:
    """This year's learners, completions and certificates in the person's commune(s)."""
    communes = queries.communes_of(person, "classes.manage")
    if not communes:
        return None
    return {"figures": progress.year_figures(communes, local_today().year)}


panels.add(panels.Panel("confirmations", "certificates/_panel_confirmations.html", "certificates.manage", 3,
                        confirmations_panel, task=True))
panels.add(panels.Panel("figures", "certificates/_panel_figures.html", "classes.manage", 3, figures_panel))
