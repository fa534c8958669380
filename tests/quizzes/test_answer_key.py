"""The answer key never reaches the learner: the page names answers by opaque per-attempt keys, not bank order."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.catalog.models import Question
from app.extensions import db
from app.quizzes import services
from app.quizzes.models import Attempt, AttemptAnswer
from tests import factories
from tests.conftest import login

ALL_QUESTIONS = {"question_count": 50}


class QuizPage(HTMLParser):
    """Read a quiz page the way a learner's browser (or a curious learner) sees it: every control of every question."""

    def __init__(self) -> None:
        super().__init__()
        self.questions: dict[int, dict[str, Any]] = {}
        self.labels: dict[str, str] = {}
        self._question: dict[str, Any] | None = None
        self._control: dict[str, Any] | None = None
        self._select: dict[str, Any] | None = None
        self._label_for: str | None = None
        self._say = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "section" and "data-question-id" in found:
            self._question = {"type": found["data-type"], "choices": [], "selects": []}
            self.questions[int(found["data-question-id"])] = self._question
        elif self._question is None:
            return
        elif tag in ("button", "input") and found.get("name") == "answer":
            self._control = {"value": found.get("value", ""), "data": found.get("data-value"), "text": "",
                             "typed": tag == "input" and found.get("type") != "checkbox"}
            self._question["choices"].append(self._control)
        elif tag == "span" and "data-say" in found:
            self._say = True
        elif tag == "label" and "for" in found:
            self._label_for = found["for"]
            self.labels[self._label_for] = ""
        elif tag == "select":
            self._select = {"name": found["name"], "pair": found.get("data-pair"), "id": found["id"], "options": []}
            self._question["selects"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._control = {"value": found.get("value", ""), "text": ""}
            self._select["options"].append(self._control)
            self._say = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("button", "option", "label"):
            self._control, self._say = None, False
        self._label_for = None if tag == "label" else self._label_for
        self._say = False if tag == "span" else self._say
        self._select = None if tag == "select" else self._select

    def handle_data(self, data: str) -> None:
        if self._control is not None and self._say:
            self._control["text"] += data.strip()
        if self._label_for is not None:
            self.labels[self._label_for] += data.strip()


def _read(client: FlaskClient, attempt: Attempt) -> QuizPage:
    page = QuizPage()
    page.feed(client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True))
    return page


def _start(client: FlaskClient, code: str) -> Attempt:
    response = client.post(f"/catalog/modules/{code}/quiz/start")
    return db.session.get(Attempt, int(response.location.rstrip("/").split("/")[-1]))


@pytest.fixture
def commune(curriculum):
    found = factories.commune()
    services.save_settings(commune_id=found.id, module_id=None, values=ALL_QUESTIONS, actor=None)
    db.session.commit()
    return found


def _learner(app, commune, name: str) -> FlaskClient:
    person = factories.person(commune, name=name)
    db.session.commit()
    return login(app.test_client(), person)


def _chosen_values(page: QuizPage) -> list[str]:
    values = []
    for question in page.questions.values():
        values += [c["value"] for c in question["choices"] if not c["typed"]]
        values += [c["data"] for c in question["choices"] if c["data"] is not None]
        for pairing in question["selects"]:
            values += [pairing["name"].removeprefix("pair-"), pairing["pair"]]
            values += [o["value"] for o in pairing["options"] if o["value"]]
    return values


def test_the_page_names_no_answer_by_its_place_in_the_bank(app, commune) -> None:
    client = _learner(app, commune, "Nguyễn Thị Hương")
    page = _read(client, _start(client, "NCT-01"))
    assert {"multichoice", "truefalse", "multiresponse", "matching"} <= {q["type"] for q in page.questions.values()}
    values = _chosen_values(page)
    assert values and not [v for v in values if re.fullmatch(r"\d+", v)]
    # Matching: neither the left items nor the right choices carry a number from the bank.
    pairing = next(s for q in page.questions.values() for s in q["selects"])
    assert not re.search(r"-\d+$", pairing["id"])


def test_the_right_answers_key_differs_between_attempts_and_predicts_nothing(app, commune) -> None:
    pages = [_read(c, _start(c, "NCT-01")) for c in (_learner(app, commune, "Nguyễn Thị Hương"),
                                                      _learner(app, commune, "Trần Văn Bình"))]
    first, second = (set(_chosen_values(p)) for p in pages)
    assert not first & second  # one learner's page says nothing about another's
    for question_id, question in pages[0].questions.items():
        bank = db.session.get(Question, question_id)
        if question["type"] == "multichoice":
            right_text = next(a["text"] for a in bank.answers if a["fraction"] > 0)
            keys = [next(c["value"] for c in p.questions[question_id]["choices"] if c["text"] == right_text)
                    for p in pages]
            assert keys[0] != keys[1]


def test_choosing_the_first_bank_answer_everywhere_saves_nothing(app, commune) -> None:
    """Today's exploit: every right answer is index 0, so "0" everywhere passed three quizzes of three."""
    client = _learner(app, commune, "Nguyễn Thị Hương")
    attempt = _start(client, "NCT-06")
    for question in services.questions_of(attempt):
        raw = {"0": "0"} if question.type == "matching" else "0"
        data = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"items": [
            {"client_id": f"answer-{question.id}", "question_id": question.id, "response": raw}]}).get_json()
        if question.type != "shortanswer":  # typed text is free text: "0" is just a wrong answer
            assert data["stored"] == [] and data["failed"][0]["message"] == "Câu trả lời không hợp lệ."
        client.post(f"/quiz/attempts/{attempt.id}/answer", data={"question_id": question.id, "answer": "0"})
    saved = db.session.scalars(select(AttemptAnswer)).all()
    assert [db.session.get(Question, a.question_id).type for a in saved] == ["shortanswer"]


def _right_from_page(question: dict[str, Any], bank: Question, page: QuizPage) -> dict[str, Any]:
    """Pick, on the page, what a learner who knows the answers would pick; return the plain form's fields."""
    right = [a["text"] for a in bank.answers if a["fraction"] > 0]
    if question["type"] == "multichoice":
        right = [max(bank.answers, key=lambda a: a["fraction"])["text"]]
    if question["type"] == "truefalse":
        word = "Đúng" if bank.answers[0]["fraction"] > 0 else "Sai"
        return {"answer": next(c["value"] for c in question["choices"] if c["text"] == word)}
    if question["type"] == "shortanswer":
        return {"answer": right[0]}
    if question["type"] == "matching":
        pairs = {a["text"]: a["match"] for a in bank.answers if a["text"]}
        return {s["name"]: next(o["value"] for o in s["options"] if o["text"] == pairs[page.labels[s["id"]]])
                for s in question["selects"]}
    return {"answer": [c["value"] for c in question["choices"] if c["text"] in right]}


@pytest.mark.parametrize("code", ["NCT-01", "NCT-06"])
def test_a_learner_who_knows_the_answers_scores_full_marks_through_the_page(app, commune, code: str) -> None:
    client = _learner(app, commune, "Nguyễn Thị Hương")
    attempt = _start(client, code)
    page = _read(client, attempt)
    for question_id, question in page.questions.items():
        fields = _right_from_page(question, db.session.get(Question, question_id), page)
        response = client.post(f"/quiz/attempts/{attempt.id}/answer", data={"question_id": question_id, **fields})
        assert response.status_code == 302
    client.post(f"/quiz/attempts/{attempt.id}/submit")
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).score == 1.0


def test_the_saved_answer_shows_again_in_keys_and_nothing_says_if_it_was_right(app, commune) -> None:
    client = _learner(app, commune, "Nguyễn Thị Hương")
    attempt = _start(client, "NCT-06")
    page = _read(client, attempt)
    question_id, question = next((i, q) for i, q in page.questions.items() if q["type"] == "multichoice")
    bank = db.session.get(Question, question_id)
    wrong = next(c["value"] for c in question["choices"]
                 if c["text"] == next(a["text"] for a in bank.answers if a["fraction"] <= 0))
    data = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"items": [
        {"client_id": "answer-1", "question_id": question_id, "response": wrong}]}).get_json()
    assert data.pop("server_time")
    assert data == {"stored": ["answer-1"], "failed": [], "status": "in_progress"}  # no score, no "right"
    html = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert f'data-value="{wrong}"\n          aria-pressed="true"' in html
    assert "badge-ok" not in html and "badge-bad" not in html and "Đáp án đúng" not in html
    assert client.get(f"/quiz/attempts/{attempt.id}/results").location.endswith(f"/quiz/attempts/{attempt.id}")

