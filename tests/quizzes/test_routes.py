"""Taking an assessment through the pages, saving answers in batches, results, assisted attempts, settings."""
from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.catalog import services as catalog
from app.extensions import db, utcnow
from app.policy import Role
from app.quizzes import keys, services
from app.quizzes.models import Attempt, AttemptAnswer
from tests import factories
from tests.conftest import login


@pytest.fixture
def learner(client: FlaskClient, curriculum):
    person = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    db.session.commit()
    login(client, person)
    return person


def _start(client: FlaskClient) -> Attempt:
    response = client.post("/catalog/modules/NCT-06/quiz/start")
    assert response.status_code == 302 and "/quiz/attempts/" in response.location
    return db.session.get(Attempt, int(response.location.rstrip("/").split("/")[-1]))


def _key(attempt: Attempt, question, index: int) -> str:
    """Return the key the attempt's page gives a question's answer (by its place in the bank)."""
    return keys.keys_for(attempt, question).to_page(index)


def test_overview_states_the_rules_and_starts_an_attempt(client: FlaskClient, learner) -> None:
    html = client.get("/catalog/modules/NCT-06/quiz").get_data(as_text=True)
    assert "10 câu hỏi" in html and "70%" in html and "Không giới hạn thời gian" in html
    attempt = _start(client)
    page = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert "Câu 1/10" in page and page.count('data-question-id=') == 10
    assert 'data-save-url="/quiz/attempts/' in page and "quiz.js" in page


def test_plain_form_answer_saves_and_moves_to_the_next_question(client: FlaskClient, learner) -> None:
    attempt = _start(client)
    question = next(q for q in services.questions_of(attempt) if q.type in ("multichoice", "truefalse"))
    index = attempt.question_ids.index(question.id)
    response = client.post(f"/quiz/attempts/{attempt.id}/answer",
                           data={"question_id": question.id, "answer": _key(attempt, question, 0)})
    assert response.status_code == 302 and response.location.endswith(f"q={index + 1}")
    assert db.session.scalars(select(AttemptAnswer)).one().question_id == question.id


def test_batch_saves_are_idempotent(client: FlaskClient, learner) -> None:
    attempt = _start(client)
    question = next(q for q in services.questions_of(attempt) if q.type in ("multichoice", "truefalse"))
    batch = {"device": "tablet-1", "items": [{"client_id": "answer-1", "question_id": question.id,
                                              "response": _key(attempt, question, 0),
                                              "device_time": "2026-11-22T01:00:00Z"}]}
    first = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json=batch).get_json()
    again = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json=batch).get_json()
    assert first["stored"] == again["stored"] == ["answer-1"]
    assert len(db.session.scalars(select(AttemptAnswer)).all()) == 1


def test_bad_items_in_a_batch_are_reported_and_the_rest_saved(client: FlaskClient, learner) -> None:
    attempt = _start(client)
    question = next(q for q in services.questions_of(attempt) if q.type in ("multichoice", "truefalse"))
    data = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"items": [
        {"client_id": "answer-bad", "question_id": 123456, "response": _key(attempt, question, 0)},
        {"client_id": "answer-good", "question_id": question.id, "response": _key(attempt, question, 0)},
    ]}).get_json()
    assert data["stored"] == ["answer-good"] and data["failed"][0]["client_id"] == "answer-bad"


def test_submitting_shows_score_skills_and_feedback(client: FlaskClient, learner) -> None:
    attempt = _start(client)
    for question in services.questions_of(attempt):
        if question.type == "truefalse":
            right = 0 if question.answers[0]["fraction"] > 0 else 1
            client.post(f"/quiz/attempts/{attempt.id}/answer",
                        data={"question_id": question.id, "answer": _key(attempt, question, right)})
    response = client.post(f"/quiz/attempts/{attempt.id}/submit")
    assert response.status_code == 302 and response.location.endswith("/results")
    html = client.get(response.location).get_data(as_text=True)
    assert "Kết quả bài kiểm tra" in html and "Kỹ năng cần luyện thêm" in html
    assert "(chưa trả lời)" in html and "Đáp án đúng:" in html
    assert client.get(f"/quiz/attempts/{attempt.id}").location.endswith("/results")


def test_learners_cannot_open_each_others_attempts(client: FlaskClient, learner, app) -> None:
    attempt = _start(client)
    other = factories.person(learner.commune, name="Trần Văn Bình")
    db.session.commit()
    intruder = app.test_client()
    login(intruder, other)
    assert intruder.get(f"/quiz/attempts/{attempt.id}").status_code == 403
    assert intruder.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"items": []}).status_code == 403


def test_instructor_runs_an_assisted_attempt(client: FlaskClient, curriculum, app) -> None:
    commune = factories.commune()
    learner = factories.person(commune, name="Phạm Văn Đức")
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    db.session.commit()
    login(client, instructor)
    response = client.post(f"/people/{learner.id}/modules/NCT-06/assisted-quiz")
    attempt = db.session.get(Attempt, int(response.location.rstrip("/").split("/")[-1]))
    assert attempt.person_id == learner.id and attempt.assisted_by_id == instructor.id
    page = client.get(response.location).get_data(as_text=True)
    assert "Làm cùng người hỗ trợ" in page and "Phạm Văn Đức" in page
    other_instructor = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    db.session.commit()
    stranger = app.test_client()
    login(stranger, other_instructor)
    assert stranger.get(response.location).status_code == 403


def test_officer_changes_how_the_commune_assesses(client: FlaskClient, curriculum) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    db.session.commit()
    login(client, officer)
    module = catalog.module_by_code("NCT-06")
    response = client.post(f"/communes/{commune.id}/assessment-settings", data={
        "module_id": module.id, "question_count": 6, "pass_percent": 80, "max_attempts": 2, "wait_minutes": 60,
        "shuffle_questions": "y"})
    assert response.status_code == 302
    assert services.settings_for(commune.id, module.id).pass_percent == 80
    assert services.settings_for(commune.id, None).pass_percent == 70
    bad = client.post(f"/communes/{commune.id}/assessment-settings", data={
        "module_id": 0, "question_count": 0, "pass_percent": 80, "max_attempts": 2, "wait_minutes": 60})
    assert bad.status_code == 200 and re.search(r"has-error", bad.get_data(as_text=True))
    assert services.settings_for(commune.id, None).question_count == 10


def test_the_question_page_reads_the_attempt_and_the_questions_with_answers_in_one_query_each(
        client: FlaskClient, learner) -> None:
    from sqlalchemy import event

    attempt = _start(client)
    questions = services.questions_of(attempt)
    for question in questions[:3]:
        services.save_answer(attempt, question.id, 0 if question.type != "shortanswer" else "abc", now=utcnow())
    db.session.commit()
    ids = {"attempt": attempt.id, "questions": list(attempt.question_ids), "answered": [q.id for q in questions[:3]],
           "title": catalog.module_by_code("NCT-06").current.title_vi, "name": learner.full_name}
    page = client.get(f"/quiz/attempts/{ids['attempt']}").get_data(as_text=True)
    assert f'<strong>{ids["title"]}</strong>' in page and 'id="q-3" data-index="3"' in page
    opening = {i: page.split(f'id="q-{i}" data-index', 1)[1].split("aria-labelledby", 1)[0] for i in (0, 3)}
    assert " hidden" in opening[0] and " hidden" not in opening[3]  # it resumes at the first unanswered question
    assert all(f'data-dot="{qid}" data-done' in page for qid in ids["answered"])
    assert page.count(" data-done>") == 3
    db.session.expunge_all()
    ran: list[str] = []
    listen = lambda *args: ran.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        found, title, name = services.attempt_for_page(ids["attempt"])
        assert (title, name, len(ran)) == (ids["title"], ids["name"], 1)
        shown, answers = services.questions_with_answers(found)
        assert len(ran) == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert [q.id for q in shown] == ids["questions"] and sorted(answers) == sorted(ids["answered"])
    assert answers == services.answers_by_question(found)
    assert services.resume_index(found, answers) == services.resume_index(found) == 3
    assert services.attempt_for_page(ids["attempt"] + 1000) is None
