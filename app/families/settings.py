"""A commune's rule for digital families, with the default for communes that have not chosen."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select

from app.errors import DomainError
from app.extensions import db
from app.families.models import FamilySettings
from app.people.models import Person
from app.places.models import Commune

RULES = {
    "one_member": _l("Ít nhất một thành viên đã hoàn thành kỹ năng số cơ bản (và hướng dẫn những người còn lại)"),
    "all_adults": _l("Mọi thành viên từ 18 tuổi đều đã hoàn thành kỹ năng số cơ bản"),
}
DEFAULT_RULE = "one_member"


def rule_for(commune_id: int | None) -> str:
    """Return the rule in force in a commune: its own, else the default."""
    row = db.session.get(FamilySettings, commune_id) if commune_id else None
    return row.rule if row is not None and row.rule in RULES else DEFAULT_RULE


def rule_in_force(commune_id: Any) -> ColumnElement[str]:
    """An SQL expression for the rule in force in a commune (an id, or a column such as Household.commune_id)."""
    own = select(FamilySettings.rule).where(FamilySettings.commune_id == commune_id)
    return func.coalesce(own.scalar_subquery(), DEFAULT_RULE)


def save_rule(commune: Commune, rule: Any, *, actor: Person | None) -> FamilySettings:
    """Store a commune's rule after checking it."""
    if rule not in RULES:
        raise DomainError(_l("Vui lòng chọn một cách tính “Gia đình số”."), field="rule")
    row = db.session.get(FamilySettings, commune.id)
    if row is None:
        row = FamilySettings(commune_id=commune.id)
        db.session.add(row)
    row.rule = rule
    row.updated_by_id = actor.id if actor else None
    db.session.flush()
    return row
