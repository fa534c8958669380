"""Practical checks: an instructor ticks the tasks they watched a learner do (they count toward completion)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.catalog.models import Module
from app.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.quizzes.models import PracticalCheck


def tick(person: Person, module: Module, task_code: str, *, by: Person | None, on: datetime,
         class_id: int | None = None, note: str = "") -> PracticalCheck:
    """Record that the learner did a task of the module's current version; ticking again keeps the first."""
    version = module.current
    if version is None or task_code not in {t.code for t in version.tasks}:
        raise DomainError(_l("Bài thực hành này không thuộc học phần."))
    existing = db.session.scalar(select(PracticalCheck).where(
        PracticalCheck.person_id == person.id, PracticalCheck.module_id == module.id,
        PracticalCheck.task_code == task_code))
    if existing is not None:
        return existing
    check = PracticalCheck(person_id=person.id, commune_id=person.commune_id, module_id=module.id,
                           module_version_id=version.id, task_code=task_code, class_id=class_id, checked_on=on,
                           checked_by_id=by.id if by else None, note=note.strip()[:500])
    db.session.add(check)
    db.session.flush()
    return check


def untick(person: Person, module: Module, task_code: str) -> None:
    """Remove a tick made by mistake."""
    db.session.execute(delete(PracticalCheck).where(PracticalCheck.person_id == person.id,
                                                    PracticalCheck.module_id == module.id,
                                                    PracticalCheck.task_code == task_code))
    db.session.flush()


def checks_for(person_ids: list[int], module_id: int) -> dict[int, dict[str, PracticalCheck]]:
    """Return, per learner, the ticked tasks of a module by task code."""
    found: dict[int, dict[str, PracticalCheck]] = {pid: {} for pid in person_ids}
    if person_ids:
        for check in db.session.scalars(select(PracticalCheck).where(PracticalCheck.person_id.in_(person_ids),
                                                                     PracticalCheck.module_id == module_id)):
            found[check.person_id][check.task_code] = check
    return found


def all_done(person_id: int, module: Module) -> bool:
    """Tell whether a learner has done every practical task of the module's current version."""
    version = module.current
    if version is None:
        return False
    ticked = checks_for([person_id], module.id)[person_id]
    return all(task.code in ticked for task in version.tasks)
