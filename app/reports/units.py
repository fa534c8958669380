"""The units that report to the commune (its villages, and bodies such as the youth union or a school)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.errors import DomainError
from app.extensions import db
from app.places.models import Commune, Village
from app.reports.models import ReportingUnit
from app.vietnam import search_key

NAME_LENGTH = 160


def _taken(commune: Commune) -> set[str]:
    names = db.session.scalars(select(ReportingUnit.name).where(ReportingUnit.commune_id == commune.id))
    return {search_key(n) for n in names}


def add_unit(commune: Commune, name: str, village: Village | None = None) -> ReportingUnit:
    """Add a reporting unit, linked to a village when it reports for one."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_l("Vui lòng nhập tên đơn vị."), field="name")
    if len(name) > NAME_LENGTH:
        raise DomainError(_l("Tên đơn vị tối đa %(max)s ký tự.", max=NAME_LENGTH), field="name")
    if village is not None and village.commune_id != commune.id:
        raise DomainError(_l("Thôn này không thuộc xã."), field="village")
    if search_key(name) in _taken(commune):
        raise DomainError(_l("Đã có đơn vị tên “%(name)s”.", name=name), field="name")
    if village is not None and db.session.scalar(select(func.count()).select_from(ReportingUnit).where(
            ReportingUnit.commune_id == commune.id, ReportingUnit.village_id == village.id)):
        raise DomainError(_l("%(village)s đã là một đơn vị báo cáo.", village=village.name), field="village")
    unit = ReportingUnit(commune_id=commune.id, name=name, village_id=village.id if village else None)
    db.session.add(unit)
    db.session.flush()
    return unit


def add_village_units(commune: Commune) -> list[ReportingUnit]:
    """Make every village that is not yet a reporting unit one, named as the village; return those added."""
    linked = set(db.session.scalars(select(ReportingUnit.village_id).where(
        ReportingUnit.commune_id == commune.id, ReportingUnit.village_id.is_not(None))))
    taken = _taken(commune)
    added = []
    for village in db.session.scalars(select(Village).where(Village.commune_id == commune.id)
                                      .order_by(Village.name)):
        if village.id in linked or search_key(village.name) in taken:
            continue  # a unit of that name already exists (unlinked): the officer links or renames it
        unit = ReportingUnit(commune_id=commune.id, name=village.name[:NAME_LENGTH], village_id=village.id)
        db.session.add(unit)
        taken.add(search_key(village.name))
        added.append(unit)
    db.session.flush()
    return added


def set_active(unit: ReportingUnit, active: bool) -> ReportingUnit:
    """Stop (or resume) asking a unit for reports; its past reports stay."""
    unit.active = active
    db.session.flush()
    return unit
