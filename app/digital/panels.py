"""A resident's home shows the way to their own digital skills page (no query: the page reads the facts)."""
from __future__ import annotations

from typing import Any

from app import policy
from app.home import panels


def own_skills_panel(person: Any) -> dict[str, Any] | None:
    """Offer residents their own page; staff reach residents' pages from the people they serve."""
    if policy.is_admin(person) or any(a.role in policy.STAFF for a in person.active_roles):
        return None
    return {"person_id": person.id}


panels.add(panels.Panel("digital_own", "digital/_panel_own.html", "digital.view", 60, own_skills_panel))
