"""People's skill milestones, kept as rows: "basic digital skills completed", and a first skill in a framework group.

The rows follow the completions: whenever a flush writes a completion (confirmed or no longer), or changes which
framework is in force, the people concerned are worked out again from their confirmed completions (a few statements).
Bulk loads that bypass the ORM call `refresh()` themselves. The commune's figures then count people with one indexed
read (`reached_before`), however many completions there are.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, delete, event, func, insert, inspect, literal, select
from sqlalchemy.orm import Session

from app.catalog.models import FrameworkVersion
from app.certificates.models import Completion, CompletionSkill, SkillMilestone
from app.extensions import db

BASIC = "basic"
# Framework groups the commune's indicators count people in: 4 online safety, 6 artificial intelligence.
GROUPS = ("4", "6")


def group(code: str) -> str:
    """The milestone of a first confirmed skill in a framework group."""
    return f"group-{code}"


def _framework(connection: Any) -> tuple[int, list[str]] | None:
    row = connection.execute(select(FrameworkVersion.id, FrameworkVersion.data)
                             .where(FrameworkVersion.is_current.is_(True))
                             .order_by(FrameworkVersion.id.desc()).limit(1)).first()
    if row is None:
        return None
    return row.id, sorted({str(s) for s in ((row.data or {}).get("basic_completion") or {}).get("skills") or []})


def _shown(person_ids: Collection[int] | None) -> Select:
    query = (select(Completion.person_id, CompletionSkill.skill, Completion.confirmed_at)
             .join(CompletionSkill, CompletionSkill.completion_id == Completion.id)
             .where(Completion.status == "confirmed"))
    return query if person_ids is None else query.where(Completion.person_id.in_(list(person_ids)))


def _refresh(connection: Any, person_ids: Collection[int] | None) -> None:
    """Work the rows out again for these people (None: everyone) from their confirmed completions."""
    clear = delete(SkillMilestone)
    if person_ids is not None:
        if not person_ids:
            return
        clear = clear.where(SkillMilestone.person_id.in_(list(person_ids)))
    connection.execute(clear)
    framework = _framework(connection)
    if framework is None:
        return
    framework_id, basic = framework
    columns = ["person_id", "milestone", "framework_version_id", "reached_at"]
    if basic:
        shown = _shown(person_ids).where(CompletionSkill.skill.in_(basic)).subquery()
        first = (select(shown.c.person_id, shown.c.skill, func.min(shown.c.confirmed_at).label("at"))
                 .group_by(shown.c.person_id, shown.c.skill).subquery())
        connection.execute(insert(SkillMilestone).from_select(columns, (
            select(first.c.person_id, literal(BASIC), literal(framework_id), func.max(first.c.at))
            .group_by(first.c.person_id).having(func.count() == len(basic)))))
    for code in GROUPS:
        # A range, not LIKE: the skill index serves it whatever the database's collation.
        shown = _shown(person_ids).where(CompletionSkill.skill >= f"{code}.", CompletionSkill.skill < f"{code}/")
        shown = shown.subquery()
        connection.execute(insert(SkillMilestone).from_select(columns, (
            select(shown.c.person_id, literal(group(code)), literal(framework_id), func.min(shown.c.confirmed_at))
            .group_by(shown.c.person_id))))


def refresh(person_ids: Collection[int] | None = None) -> None:
    """Bring the rows up to date after writes that bypass the ORM (bulk loads): these people, or everyone."""
    db.session.flush()
    _refresh(db.session.connection(), person_ids)


def reached_before(milestone: str, moment: dt.datetime) -> Select:
    """People who had reached a milestone before a moment (one column: person ids)."""
    return select(SkillMilestone.person_id).where(SkillMilestone.milestone == milestone,
                                                  SkillMilestone.reached_at < moment)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    """Keep the rows in step with what this flush wrote (a completion's skills change only with the completion)."""
    changed = (*session.new, *session.dirty)
    if any(isinstance(o, FrameworkVersion) and o.is_current and inspect(o).attrs.is_current.history.has_changes()
           for o in changed):
        _refresh(session.connection(), None)  # another framework in force: everyone is measured against it
        return
    people = {o.person_id for o in (*changed, *session.deleted) if isinstance(o, Completion)}
    if people:
        _refresh(session.connection(), people)
