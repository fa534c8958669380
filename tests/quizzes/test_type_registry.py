"""A new question type is one class and one template: a numerical type, written here and nowhere in app/, is read
from a GIFT bank, shown on the attempt page, scored, and explained on the results page.

It reuses the typed-answer widget (static/quiz-text.js), so it needs no script of its own; a type whose fields
differ adds static/quiz-<widget>.js. The only other code that ever names a type is its own class.
"""
from __future__ import annotations

import math
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import select

from app.catalog import content, gift
from app.catalog import services as catalog
from app.extensions import db
from app.quizzes import services, types
from app.quizzes.models import Attempt, AttemptAnswer
from app.quizzes.types import GiftBlock, QuestionLike, QuestionType, register
from tests import factories
from tests.conftest import ROOT, login

APP = Path(__file__).resolve().parents[2] / "app"
TEMPLATE = """<div class="field">
  <label for="number-{{ index }}">{{ _("Câu trả lời của bạn") }}</label>
  <input id="number-{{ index }}" name="answer" value="{{ answer or '' }}" inputmode="decimal" data-numerical>
</div>
<button class="btn btn-primary" type="submit" data-save>{{ _("Lưu câu trả lời") }}</button>
"""


class Numerical(QuestionType):
    """A number, right within a tolerance (Moodle's numerical). GIFT: `{#42}` or `{#42:0.5#feedback}`."""

    name, template, widget, shuffles, keyed = "numerical", "quizzes/types/numerical.html", "text", False, False
    gift_order = -10  # before the GIFT reader refuses `{#…}` as unsupported
    gift_messages = {"bad_number": ("“{text}” không phải là một số", "“{text}” is not a number")}

    def options(self, question: QuestionLike, order: list[int]) -> list[Any]:
        return []  # the right number must not reach the page

    def read(self, question: QuestionLike, raw: Any) -> str:
        if isinstance(raw, list) and len(raw) <= 1:
            raw = raw[0] if raw else ""
        if not isinstance(raw, str):
            raise ValueError(raw)
        text = raw.strip().replace(",", ".")  # 0,5 is how a half is written in Vietnam
        if text and not math.isfinite(float(text)):
            raise ValueError(raw)
        return text

    def score(self, question: QuestionLike, response: Any) -> float:
        right = question.answers[0]
        return 1.0 if response and abs(float(response) - float(right["text"])) <= float(right["match"]) else 0.0

    def feedback(self, question: QuestionLike, response: Any) -> list[str]:
        right = question.answers[0]
        return [right["feedback"]] if right["feedback"] and self.score(question, response) else []

    def answer_text(self, question: QuestionLike, response: Any) -> str:
        return str(response)

    def right_text(self, question: QuestionLike) -> str:
        right = question.answers[0]
        return right["text"] + (f" ± {right['match']}" if float(right["match"]) else "")

    def best_response(self, question: QuestionLike) -> str:
        return str(question.answers[0]["text"])

    def from_gift(self, block: GiftBlock) -> list[Any] | None:
        if not block.content.startswith("#"):
            return None
        text, feedback, _unused = block.split(block.source.strip()[1:])
        value, _colon, tolerance = text.partition(":")
        try:
            float(value), float(tolerance or "0")
        except ValueError:
            block.fail(block.line, "bad_number", text=block.quote(text))
        return [block.answer(value.strip(), 1.0, feedback, tolerance.strip() or "0")]  # the tolerance rides in match


@pytest.fixture
def numerical(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> QuestionType:
    """Register the numerical type and its template for one test, as a feature would for good."""
    monkeypatch.setattr(types, "TYPES", dict(types.TYPES))  # the registry as it was comes back after the test
    register(Numerical)
    folder = tmp_path / "templates" / "quizzes" / "types"
    folder.mkdir(parents=True)
    (folder / "numerical.html").write_text(TEMPLATE, encoding="utf-8")
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([FileSystemLoader(tmp_path / "templates"),
                                                               app.jinja_env.loader]))
    return types.TYPES["numerical"]


def test_the_gift_reader_asks_the_registered_types(numerical: QuestionType) -> None:
    (question,) = gift.parse_gift("::N1:: Mấy giờ? {#7.5:0.25#Đúng giờ.####Hỏi lại con cháu.}").questions
    assert question.type == "numerical" and question.general_feedback == "Hỏi lại con cháu."
    assert [(a.text, a.fraction, a.feedback, a.match) for a in question.answers] == [("7.5", 1.0, "Đúng giờ.", "0.25")]
    (error,) = gift.parse_gift("::N2:: Mấy giờ? {#bảy}", "b.gift").errors
    assert (error.code, error.message, error.message_en()) == ("bad_number", "“bảy” không phải là một số",
                                                               "“bảy” is not a number")


def test_without_the_type_a_numerical_block_is_still_unsupported() -> None:
    (error,) = gift.parse_gift("::N1:: Mấy giờ? {#7.5}").errors
    assert error.code == "numerical"


def test_a_registered_type_is_shown_saved_scored_and_explained(client: FlaskClient, ctx: Flask, numerical,
                                                                tmp_path: Path) -> None:
    courses = tmp_path / "courses"
    shutil.copytree(ROOT / "courses" / "framework", courses / "framework")
    shutil.copytree(ROOT / "courses" / "modules" / "nct-01", courses / "modules" / "nct-01")
    (courses / "tracks.yaml").write_text("- code: mau\n  audience: elderly\n  title: {vi: Mẫu}\n  modules: [NCT-01]\n",
                                         encoding="utf-8")
    (courses / "modules" / "nct-01" / "questions.gift").write_text(
        "// [tag:0.1]\n::NCT-01-Q01:: Công an gọi số nào? {#113#Đúng, gọi 113.}\n\n"
        "// [tag:0.2] [tag:2.1]\n::NCT-01-Q02:: Người lạ xin mã OTP thì đưa. {F}\n", encoding="utf-8")
    read = content.read_courses(courses)
    assert read.problems == []
    catalog.sync(read)
    person = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    db.session.commit()
    login(client, person)
    attempt = db.session.get(Attempt, int(client.post("/catalog/modules/NCT-01/quiz/start").location.split("/")[-1]))
    (question,) = [q for q in services.questions_of(attempt) if q.type == "numerical"]
    index = attempt.question_ids.index(question.id)

    page = client.get(f"/quiz/attempts/{attempt.id}?q={index}").get_data(as_text=True)
    section = re.search(rf'<section class="q" id="q-{index}".*?</section>', page, re.S).group(0)  # type: ignore[union-attr]
    assert 'data-widget="text"' in section and "data-numerical" in section and "113" not in section
    assert "quiz-text.js" in page and page.index("quiz-text.js") < page.index("quiz.js")

    # The plain form (no JavaScript) and the outbox's batch both go through the type.
    client.post(f"/quiz/attempts/{attempt.id}/answer", data={"question_id": question.id, "answer": "114"})
    assert _answer(attempt).score == 0.0
    saved = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"items": [
        {"client_id": "answer-1", "question_id": question.id, "response": " 113,0 "}]}).get_json()
    assert saved["stored"] == ["answer-1"] and (_answer(attempt).response, _answer(attempt).score) == ("113.0", 1.0)
    refused = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"items": [
        {"client_id": "answer-2", "question_id": question.id, "response": "nan"}]}).get_json()
    assert refused["stored"] == [] and _answer(attempt).response == "113.0"

    client.post(f"/quiz/attempts/{attempt.id}/submit")
    results = client.get(f"/quiz/attempts/{attempt.id}/results").get_data(as_text=True)
    assert "113.0" in results and "Đúng, gọi 113." in results and "50%" in results
    assert numerical.right_text(question) == "113"


def _answer(attempt: Attempt) -> AttemptAnswer:
    db.session.expire_all()
    return db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)).one()


def test_only_the_type_classes_name_a_type() -> None:
    names = list(types.TYPES)
    quiz = APP / "quizzes"
    places = [quiz / "display.py", quiz / "routes.py", APP / "static" / "quiz.js", APP / "catalog" / "gift.py",
              quiz / "templates" / "quizzes" / "attempt.html", quiz / "templates" / "quizzes" / "results.html"]
    named = [(path.name, name) for path in places for name in names
             if re.search(rf"""["']{name}["']""", path.read_text(encoding="utf-8"))]
    assert named == []
