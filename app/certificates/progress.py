"""How far classes are with completion and certificates: counts for the class page, the class list and homes.

Read-only, and a fixed number of SQL aggregates whatever the number of classes or learners: the class list gets
its columns from one query for the whole page, the class page its counts from `completion.tallies` (the rule of
`completion.standings_for`, counted in SQL), and the classes waiting for confirmation are found the same way.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from app.catalog.models import Module
from app.certificates import completion
from app.certificates.models import COMPLETION, Certificate, Completion
from app.classes.models import Class, ClassModule, Enrolment
from app.extensions import db
from app.vietnam import VIETNAM

# Classes whose learners may be waiting for an officer: any that can hold sessions (a class often stays "open"
# while it runs), not planned or cancelled ones.
CONFIRMABLE_STATUSES = ("open", "running", "finished")


@dataclass(frozen=True)
class ClassCounts:
    """A class's learners who meet the completion rules, are confirmed, and hold a valid certificate."""

    eligible: int
    confirmed: int
    issued: int
    waiting: int  # eligible but not yet confirmed

    @property
    def to_issue(self) -> int:
        return max(0, self.confirmed - self.issued)


def _valid_certificates(class_ids: list[int]) -> dict[int, int]:
    if not class_ids:
        return {}
    return dict(db.session.execute(  # type: ignore[arg-type]
        select(Certificate.class_id, func.count()).where(Certificate.class_id.in_(class_ids),
                                                         Certificate.status == "valid")
        .group_by(Certificate.class_id)).all())


def class_counts(klass: Class) -> ClassCounts:
    """Count, for one class, who is eligible, confirmed and certified (the rules of its commune)."""
    tally = completion.tallies([klass.id], {klass.commune_id: completion.rules_for(klass.commune_id)})[klass.id]
    return ClassCounts(eligible=tally.eligible, confirmed=tally.confirmed,
                       issued=_valid_certificates([klass.id]).get(klass.id, 0), waiting=tally.waiting)


def _completed_query(class_ids: Any) -> Any:
    """Enrolled learners of each class (`class_ids`: a list or a SELECT of ids) with every module of the class
    confirmed, as rows (class_id, completed)."""
    taught = (select(ClassModule.class_id, ClassModule.module_id).join(Module, Module.id == ClassModule.module_id)
              .where(ClassModule.class_id.in_(class_ids), Module.current_version_id.is_not(None)).subquery())
    needed = select(taught.c.class_id, func.count().label("modules")).group_by(taught.c.class_id).subquery()
    done = (select(Enrolment.class_id, Enrolment.person_id, func.count().label("confirmed"))
            .join(taught, taught.c.class_id == Enrolment.class_id)
            .join(Completion, (Completion.person_id == Enrolment.person_id)
                  & (Completion.module_id == taught.c.module_id) & (Completion.status == "confirmed"))
            .where(Enrolment.class_id.in_(class_ids), Enrolment.status == "enrolled")
            .group_by(Enrolment.class_id, Enrolment.person_id).subquery())
    return (select(done.c.class_id, func.count().label("completed")).join(needed, needed.c.class_id == done.c.class_id)
            .where(done.c.confirmed >= needed.c.modules).group_by(done.c.class_id))


def list_counts(class_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each class: enrolled learners who completed it (every module confirmed) and valid certificates.

    One aggregate query for the whole list.
    """
    if not class_ids:
        return {}
    completed = _completed_query(class_ids).subquery()
    certified = (select(Certificate.class_id, func.count().label("certified"))
                 .where(Certificate.class_id.in_(class_ids), Certificate.status == "valid")
                 .group_by(Certificate.class_id).subquery())
    rows = db.session.execute(
        select(Class.id, completed.c.completed, certified.c.certified)
        .outerjoin(completed, completed.c.class_id == Class.id).outerjoin(certified, certified.c.class_id == Class.id)
        .where(Class.id.in_(class_ids)))
    found = {cid: {"completed": int(done or 0), "certified": int(certs or 0)} for cid, done, certs in rows}
    return {cid: found.get(cid, {"completed": 0, "certified": 0}) for cid in class_ids}


def waiting_classes(where: Any) -> list[tuple[Class, int]]:
    """Classes (matching the SQL condition `where`) with learners who meet the rules but are not yet confirmed,
    each with how many, soonest ended first."""
    # Aggregates first: only classes with an enrolled learner not yet completed are worth evaluating in full
    # (years of finished, fully confirmed classes cost nothing). One statement finds and loads them.
    in_reach = select(Class.id).where(Class.status.in_(CONFIRMABLE_STATUSES), where)
    enrolled = (select(Enrolment.class_id, func.count().label("enrolled"))
                .where(Enrolment.class_id.in_(in_reach), Enrolment.status == "enrolled")
                .group_by(Enrolment.class_id).subquery())
    completed = _completed_query(in_reach).subquery()
    unfinished = (select(enrolled.c.class_id).outerjoin(completed, completed.c.class_id == enrolled.c.class_id)
                  .where(func.coalesce(completed.c.completed, 0) < enrolled.c.enrolled))
    # The panel shows titles: the staff (loaded with every class by default) only if someone asks for them.
    classes = list(db.session.scalars(select(Class).where(Class.id.in_(unfinished)).options(lazyload(Class.staff))
                                      .order_by(Class.ends_on, Class.id)))
    if not classes:
        return []
    counts = completion.tallies([k.id for k in classes], completion.rules_by_commune({k.commune_id for k in classes}))
    return [(k, counts[k.id].waiting) for k in classes if counts[k.id].waiting]


@dataclass(frozen=True)
class Figures:
    """The year's figures a commune is judged on (the short form; the full dashboard is the reports')."""

    year: int
    learners: int  # people enrolled in a class held this year
    completed: int  # people with a completion confirmed this year
    certified: int  # people holding a valid certificate issued this year


def year_figures(commune_ids: set[int], year: int) -> Figures:
    """Count this year's learners, completions and certificates in the communes, in one query."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.datetime.combine(first, dt.time(), tzinfo=VIETNAM)
    end = dt.datetime.combine(first.replace(year=year + 1), dt.time(), tzinfo=VIETNAM)
    ids = sorted(commune_ids)
    learners = (select(func.count(Enrolment.person_id.distinct())).join(Class, Class.id == Enrolment.class_id)
                .where(Class.commune_id.in_(ids), Enrolment.status == "enrolled", Class.status != "cancelled",
                       Class.starts_on <= last, Class.ends_on >= first).scalar_subquery())
    completed = (select(func.count(Completion.person_id.distinct()))
                 .where(Completion.commune_id.in_(ids), Completion.status == "confirmed",
                        Completion.confirmed_at >= start, Completion.confirmed_at < end).scalar_subquery())
    certified = (select(func.count(Certificate.person_id.distinct()))
                 .where(Certificate.commune_id.in_(ids), Certificate.status == "valid", Certificate.kind == COMPLETION,
                        Certificate.issued_on.between(first, last)).scalar_subquery())
    row = db.session.execute(select(learners, completed, certified)).one()
    return Figures(year, *(int(v or 0) for v in row))
