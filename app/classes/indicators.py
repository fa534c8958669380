"""The commune's indicators that classes answer: classes held and the learners they trained."""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, distinct, func, null, select

from app import indicators
from app.classes.models import Class, ClassSession, Enrolment
from app.extensions import db
from app.indicators import Counts, Dimension, Indicator, Period, Unit
from app.people import breakdowns
from app.people.audiences import LABELS, Audience
from app.places.models import Venue


def held_in(period: Period) -> Select:
    """Classes (not cancelled) with at least one session that was not cancelled within the period."""
    return (select(ClassSession.class_id).join(Class, Class.id == ClassSession.class_id)
            .where(Class.status != "cancelled", ClassSession.status != "cancelled",
                   ClassSession.date >= period.start, ClassSession.date < period.end))


@indicators.register
class ClassesHeld(Indicator):
    code = "classes_held"
    name = _l("Số lớp phổ cập kỹ năng số đã tổ chức")
    unit = Unit.CLASSES
    order = 50
    dimensions = (Dimension.VILLAGE, Dimension.AUDIENCE)

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        if by is Dimension.VILLAGE:
            key = Venue.village_id
        elif by is Dimension.AUDIENCE:
            key = Class.audience
        elif by is None:
            key = null()
        else:
            raise ValueError(by)
        query = (select(Class.commune_id, key, func.count(distinct(Class.id)))
                 .outerjoin(Venue, Venue.id == Class.venue_id)
                 .where(Class.commune_id.in_(commune_ids), Class.id.in_(held_in(period)))
                 .group_by(Class.commune_id, *(() if by is None else (key,))))  # PostgreSQL refuses GROUP BY NULL
        return {(commune, k): n for commune, k, n in db.session.execute(query)}

    @classmethod
    def details(cls, commune_ids: Sequence[int], period: Period) -> dict[int, list[str]]:
        """The classes' names, with their audience, as the report lists them."""
        rows = db.session.execute(select(Class.commune_id, Class.title, Class.audience)
                                  .where(Class.commune_id.in_(commune_ids), Class.id.in_(held_in(period)))
                                  .order_by(Class.starts_on, Class.title))
        named: dict[int, list[str]] = {}
        for commune, title, audience in rows:
            label = _audience_label(audience)
            named.setdefault(commune, []).append(f"{title} ({label})" if label else title)
        return named


def _audience_label(audience: str) -> str:
    """An audience's name as printed beside a class ("" for one the app no longer knows)."""
    try:
        return str(LABELS[Audience(audience)])
    except ValueError:
        return ""


@indicators.register
class LearnersTrained(Indicator):
    code = "learners_trained"
    name = _l("Số người học được bồi dưỡng, tập huấn kỹ năng số")
    order = 55
    dimensions = (Dimension.VILLAGE, Dimension.AUDIENCE, Dimension.GENDER, Dimension.AGE_BAND)
    sensitive_groups = frozenset({Audience.DISABLED.value})

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        learners = select(Enrolment.person_id).where(Enrolment.status == "enrolled",
                                                      Enrolment.class_id.in_(held_in(period)))
        return breakdowns.count_people(learners, commune_ids, year=period.year, by=by)
