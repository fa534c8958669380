"""The instructor's view of a class: results by learner, question and skill; the practical checklist."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.catalog import services as catalog
from app.classes import enrolment
from app.extensions import db, utcnow
from app.policy import Role
from app.quizzes import practical, services
from tests import factories
from tests.conftest import login


@pytest.fixture
def klass(curriculum):
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    module = catalog.module_by_code("NCT-05")
    school = factories.school_class(commune, instructors=(instructor,), modules=(module,))
    learners = [factories.person(commune, name=name) for name in ("Nguyễn Thị Hương", "Trần Văn Bình")]
    for learner in learners:
        enrolment.enrol(school, learner, source="staff")
    attempt = services.start_attempt(learners[0], module, now=utcnow())
    for question in services.questions_of(attempt):
        if question.type == "truefalse":
            services.save_answer(attempt, question.id, 0 if question.answers[0]["fraction"] > 0 else 1, now=utcnow())
    services.submit(attempt, now=utcnow())
    db.session.commit()
    return {"class": school, "instructor": instructor, "learners": learners, "module": module}


def test_results_show_each_learner_question_and_skill(client: FlaskClient, klass) -> None:
    login(client, klass["instructor"])
    html = client.get(f"/classes/{klass['class'].id}/results").get_data(as_text=True)
    assert "Nguyễn Thị Hương" in html and "Trần Văn Bình" in html
    assert "Theo kỹ năng" in html and "5.2" in html and "NCT-05-Q" in html
    assert "Làm bài cùng học viên" in html


def test_ticking_a_practical_task_records_the_instructor(client: FlaskClient, klass) -> None:
    login(client, klass["instructor"])
    learner, module = klass["learners"][1], klass["module"]
    task = module.current.tasks[0].code
    response = client.post(f"/classes/{klass['class'].id}/practical",
                           data={"module": module.id, "person_id": learner.id, "task": task})
    assert response.status_code == 302
    check = practical.checks_for([learner.id], module.id)[learner.id][task]
    assert check.checked_by_id == klass["instructor"].id and check.class_id == klass["class"].id
    html = client.get(f"/classes/{klass['class'].id}/practical").get_data(as_text=True)
    assert 'aria-pressed="true"' in html
    client.post(f"/classes/{klass['class'].id}/practical",
                data={"module": module.id, "person_id": learner.id, "task": task, "action": "untick"})
    assert practical.checks_for([learner.id], module.id)[learner.id] == {}


def test_people_outside_the_class_cannot_be_ticked(client: FlaskClient, klass) -> None:
    outsider = factories.person(klass["class"].commune, name="Ngô Văn Sáu")
    db.session.commit()
    login(client, klass["instructor"])
    response = client.post(f"/classes/{klass['class'].id}/practical",
                           data={"module": klass["module"].id, "person_id": outsider.id,
                                 "task": klass["module"].current.tasks[0].code})
    assert response.status_code == 404
