"""The commune's "digital families" figure, counted from its households under each commune's own rule."""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, null, select

from app import indicators
from app.extensions import db
from app.families import services, settings
from app.indicators import Counts, Dimension, Indicator, Period, Population, Unit
from app.people.models import Household


@indicators.register
class DigitalFamilies(Indicator):
    code = "digital_families"
    name = _l("Hộ gia đình đạt tiêu chí “Gia đình số”")
    order = 62
    unit = Unit.HOUSEHOLDS
    population = Population.HOUSEHOLDS
    cumulative = True
    dimensions = (Dimension.VILLAGE,)

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        if by not in (None, Dimension.VILLAGE):
            return {}
        key = Household.village_id if by is Dimension.VILLAGE else null()
        condition = services.covered(services.day_end(period.last_day), period.year,
                                     settings.rule_in_force(Household.commune_id))
        query = (select(Household.commune_id, key, func.count(Household.id))
                 .where(Household.commune_id.in_(commune_ids), condition)
                 .group_by(Household.commune_id, *([key] if by is not None else [])))
        return {(commune, group): n for commune, group, n in db.session.execute(query)}
