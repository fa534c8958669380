"""The door-to-door indicators, computed from recorded visits (they replace the hand-entered figures).

`door_to_door_people` counts the distinct residents named as helped at a visit in the period. People merely living
in a visited household are not counted: the plans count people guided ("hướng dẫn từng người"), and a person
helped without consent to be recorded is kept as help to the household only, so it counts in
`door_to_door_households`, not here. Neither is cumulative: both count what happened in the period.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, distinct, func, null, select

from app import indicators
from app.extensions import db
from app.indicators import Counts, Dimension, Indicator, Period, Population, Unit
from app.people import breakdowns
from app.teams.models import Visit, VisitHelp


def people_helped(start: dt.date, end: dt.date) -> Select:
    """Select the ids of people named as helped at a visit from `start` up to (not including) `end`."""
    return (select(VisitHelp.person_id).join(Visit, Visit.id == VisitHelp.visit_id)
            .where(VisitHelp.person_id.is_not(None), Visit.visited_on >= start, Visit.visited_on < end))


@indicators.register
class DoorToDoorPeople(Indicator):
    code = "door_to_door_people"
    name = _l("Người dân được Tổ công nghệ số cộng đồng tới tận nhà phổ cập kỹ năng số")
    order = 60
    dimensions = (Dimension.VILLAGE,)

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        return breakdowns.count_people(people_helped(period.start, period.end), commune_ids, year=period.year,
                                       by=by)


@indicators.register
class DoorToDoorHouseholds(Indicator):
    code = "door_to_door_households"
    name = _l("Hộ gia đình được Tổ công nghệ số cộng đồng tới tận nhà")
    order = 61
    unit = Unit.HOUSEHOLDS
    population = Population.HOUSEHOLDS
    dimensions = (Dimension.VILLAGE,)

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        key = Visit.village_id if by is Dimension.VILLAGE else null()
        query = (select(Visit.commune_id, key, func.count(distinct(Visit.household_id)))
                 .where(Visit.commune_id.in_(commune_ids), Visit.visited_on >= period.start,
                        Visit.visited_on < period.end)
                 .group_by(Visit.commune_id, *([key] if by is Dimension.VILLAGE else [])))
        return {(commune, group): n for commune, group, n in db.session.execute(query)}
