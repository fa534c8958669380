"""Practical checks: ticked with date and instructor, once per task, counted toward completion."""
from __future__ import annotations

import pytest

from app.catalog import services as catalog
from app.errors import DomainError
from app.extensions import utcnow
from app.policy import Role
from app.quizzes import practical
from tests import factories


def test_ticking_every_task_completes_the_practical_part(curriculum) -> None:
    commune = factories.commune()
    learner = factories.person(commune)
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    module = catalog.module_by_code("NCT-05")
    tasks = [t.code for t in module.current.tasks]
    for code in tasks[:-1]:
        practical.tick(learner, module, code, by=instructor, on=utcnow())
    assert not practical.all_done(learner.id, module)
    check = practical.tick(learner, module, tasks[-1], by=instructor, on=utcnow(), note="Trả tiền rau bằng QR")
    assert practical.all_done(learner.id, module)
    assert check.checked_by_id == instructor.id and check.module_version_id == module.current.id
    again = practical.tick(learner, module, tasks[-1], by=None, on=utcnow())
    assert again.id == check.id and again.checked_by_id == instructor.id


def test_untick_removes_a_mistake(curriculum) -> None:
    learner = factories.person(factories.commune())
    module = catalog.module_by_code("NCT-05")
    code = module.current.tasks[0].code
    practical.tick(learner, module, code, by=None, on=utcnow())
    practical.untick(learner, module, code)
    assert practical.checks_for([learner.id], module.id) == {learner.id: {}}


def test_tasks_of_another_module_are_refused(curriculum) -> None:
    learner = factories.person(factories.commune())
    with pytest.raises(DomainError):
        practical.tick(learner, catalog.module_by_code("NCT-05"), "NCT-06-T1", by=None, on=utcnow())
