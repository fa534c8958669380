"""Practical checks: ticked with date and instructor, once per task, counted toward completion; the page's script
gets the saved state (or the reason for a refusal) back as JSON."""
from __future__ import annotations

import pytest

from app.catalog import services as catalog
from app.classes import enrolment
from app.errors import DomainError
from app.extensions import db, utcnow
from app.policy import Role
from app.quizzes import practical
from tests import factories
from tests.conftest import login


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


@pytest.fixture
def checklist(curriculum):
    """A class on NCT-05 with its instructor and two learners."""
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    module = catalog.module_by_code("NCT-05")
    school = factories.school_class(commune, instructors=(instructor,), modules=(module,))
    learners = [factories.person(commune, name=name) for name in ("Nguyễn Thị Hương", "Trần Văn Bình")]
    rows = [enrolment.enrol(school, learner, source="staff") for learner in learners]
    db.session.commit()
    return {"class": school, "instructor": instructor, "learners": learners, "module": module, "rows": rows}


JSON = {"Accept": "application/json"}


def test_the_page_script_gets_the_saved_tick_back_without_a_redirect(client, checklist) -> None:
    login(client, checklist["instructor"])
    learner, module = checklist["learners"][0], checklist["module"]
    task = module.current.tasks[0]
    url = f"/classes/{checklist['class'].id}/practical"
    answer = client.post(url, data={"module": module.id, "person_id": learner.id, "task": task.code}, headers=JSON)
    assert answer.status_code == 200
    data = answer.get_json()
    assert data["done"] is True and data["date"] and learner.full_name in data["message"]
    assert task.title_vi in data["message"]
    assert task.code in practical.checks_for([learner.id], module.id)[learner.id]
    again = client.post(url, data={"module": module.id, "person_id": learner.id, "task": task.code, "action": "untick"},
                        headers=JSON).get_json()
    assert again["done"] is False and again["date"] == "" and "bỏ đánh dấu" in again["message"]
    assert practical.checks_for([learner.id], module.id)[learner.id] == {}


def test_a_refused_tick_says_why_and_records_nothing(client, checklist) -> None:
    login(client, checklist["instructor"])
    learner, module = checklist["learners"][0], checklist["module"]
    url = f"/classes/{checklist['class'].id}/practical"
    answer = client.post(url, data={"module": module.id, "person_id": learner.id, "task": "NCT-06-T1"}, headers=JSON)
    assert answer.status_code == 400
    assert answer.get_json()["message"] == "Bài thực hành này không thuộc học phần."
    assert practical.checks_for([learner.id], module.id)[learner.id] == {}
    # Without the script, the same refusal comes back as a message on the checklist page.
    page = client.post(url, data={"module": module.id, "person_id": learner.id, "task": "NCT-06-T1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Bài thực hành này không thuộc học phần." in page


def test_a_learner_who_left_the_class_cannot_be_ticked_and_the_page_says_so(client, checklist) -> None:
    enrolment.withdraw(checklist["rows"][1])
    db.session.commit()
    login(client, checklist["instructor"])
    learner, module = checklist["learners"][1], checklist["module"]
    answer = client.post(f"/classes/{checklist['class'].id}/practical", headers=JSON,
                         data={"module": module.id, "person_id": learner.id, "task": module.current.tasks[0].code})
    assert answer.status_code == 404 and "không còn học lớp này" in answer.get_json()["message"]
    assert practical.checks_for([learner.id], module.id)[learner.id] == {}
