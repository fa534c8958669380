"""The commune's indicators that confirmed completions answer: basic digital skills, and skills in AI and safety."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from app import indicators
from app.certificates import milestones
from app.indicators import ADULT_AGE, Counts, Dimension, Indicator, Period, Population
from app.people import breakdowns
from app.people.audiences import Audience
from app.people.models import Person
from app.vietnam import VIETNAM

EVERY_DIMENSION = (Dimension.VILLAGE, Dimension.AUDIENCE, Dimension.GENDER, Dimension.AGE_BAND)


def _utc_end(period: Period) -> dt.datetime:
    """The period's end: midnight in Vietnam, in UTC."""
    return dt.datetime.combine(period.end, dt.time(), VIETNAM).astimezone(dt.UTC)


def basic_skills_done(period: Period) -> Select:
    """People who had reached "basic digital skills completed" by the period's end."""
    return milestones.reached_before(milestones.BASIC, _utc_end(period))


def showed_group(period: Period, code: str) -> Select:
    """People with a confirmed skill of a framework group ("6": AI, "4": online safety) by the period's end."""
    return milestones.reached_before(milestones.group(code), _utc_end(period))


@indicators.register
class BasicSkills(Indicator):
    code = "basic_skills"
    name = _l("Người trưởng thành hoàn thành kỹ năng số cơ bản")
    order = 10
    population = Population.ADULTS
    cumulative = True
    dimensions = EVERY_DIMENSION
    sensitive_groups = frozenset({Audience.DISABLED.value})

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        return breakdowns.count_people(basic_skills_done(period), commune_ids, year=period.year, by=by,
                                       where=[breakdowns.adult(period.year, ADULT_AGE)])


class _SkilledGroup(Indicator):
    """Basic digital skills completed, among people carrying one audience tag."""

    tag: str
    cumulative = True
    dimensions = (Dimension.VILLAGE, Dimension.GENDER, Dimension.AGE_BAND)

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        return breakdowns.count_people(basic_skills_done(period), commune_ids, year=period.year, by=by,
                                       where=[breakdowns.tagged(cls.tag)])


@indicators.register
class StaffSkilled(_SkilledGroup):
    code = "staff_skilled"
    name = _l("Cán bộ, công chức, viên chức có kỹ năng số")
    order = 20
    population = Population.PUBLIC_STAFF
    tag = Audience.PUBLIC_STAFF.value


@indicators.register
class WorkersSkilled(_SkilledGroup):
    code = "workers_skilled"
    name = _l("Người lao động trong doanh nghiệp, hợp tác xã có kỹ năng số")
    order = 25
    population = Population.ENTERPRISE_WORKERS
    tag = Audience.ENTERPRISE_WORKER.value


@indicators.register
class PupilsAiSafety(Indicator):
    code = "pupils_ai_safety"
    name = _l("Học sinh được trang bị kiến thức AI và kỹ năng an toàn trên môi trường số")
    order = 30
    population = Population.PUPILS
    cumulative = True
    dimensions = (Dimension.VILLAGE, Dimension.GENDER)

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        safety = showed_group(period, "4").subquery()
        return breakdowns.count_people(showed_group(period, "6"), commune_ids, year=period.year, by=by,
                                       where=[breakdowns.tagged(Audience.PUPIL), Person.id.in_(select(safety.c[0]))])


@indicators.register
class AiUsers(Indicator):
    code = "ai_users"
    name = _l("Người dân hiểu biết, ứng dụng trí tuệ nhân tạo (AI)")
    order = 40
    population = Population.ADULTS
    cumulative = True
    dimensions = EVERY_DIMENSION
    sensitive_groups = frozenset({Audience.DISABLED.value})

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        return breakdowns.count_people(showed_group(period, "6"), commune_ids, year=period.year, by=by,
                                       where=[breakdowns.adult(period.year, ADULT_AGE)])
