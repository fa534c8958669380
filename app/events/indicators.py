"""The commune's indicator that events answer: residents who took part in a digital learning day or event.

`event_participants` counts the distinct residents who came (were checked in at the gate or at a station) to any
of the commune's events held in the period: the 10/10 "Ngày hội toàn dân học tập số", a weekly "Mỗi tuần một kỹ
năng số" session, a mobile learning point. Someone who only signed up and did not come is not counted; someone who
came to three events counts once. It is not cumulative: it counts what happened in the period.

No hand-entered indicator counted this before (app/reports/indicators.py has none for the learning days or the
campaigns), so nothing is replaced and no entered figure is left behind.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from app import indicators
from app.events.models import Event, Participant
from app.indicators import Counts, Dimension, Indicator, Period
from app.people import breakdowns
from app.people.audiences import Audience


def took_part(start: dt.date, end: dt.date) -> Select[int]:
    """Select the ids of people who came to an event held from `start` up to (not including) `end`."""
    return (select(Participant.person_id).join(Event, Event.id == Participant.event_id)
            .where(Participant.arrived_at.is_not(None), Event.held_on >= start, Event.held_on < end))


@indicators.register
class EventParticipants(Indicator):
    code = "event_participants"
    name = _l("Người dân tham gia ngày hội, hoạt động học tập số (Ngày hội 10/10, Mỗi tuần một kỹ năng số, điểm "
              "học tập số lưu động)")
    order = 57
    dimensions = (Dimension.VILLAGE, Dimension.AUDIENCE, Dimension.GENDER, Dimension.AGE_BAND)
    sensitive_groups = frozenset({Audience.DISABLED.value})

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        return breakdowns.count_people(took_part(period.start, period.end), commune_ids, year=period.year, by=by)
