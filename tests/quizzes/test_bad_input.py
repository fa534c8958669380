"""Bad input to the quiz (broken JSON, wrong types, unknown ids, NUL bytes, an empty form) gets a clear
Vietnamese message, saves nothing and never fails with a 500."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.quizzes import keys, services
from app.quizzes.models import Attempt, AttemptAnswer
from tests import factories
from tests.conftest import login

BAD_BODY = "Dữ liệu gửi lên không đúng dạng. Hãy tải lại trang rồi thử lại."
EMPTY = "Hãy chọn hoặc nhập câu trả lời rồi mới lưu."


@pytest.fixture
def attempt(client: FlaskClient, curriculum) -> Attempt:
    commune = factories.commune()
    services.save_settings(commune_id=commune.id, module_id=None,
                           values={**services.DEFAULTS, "question_count": 50}, actor=None)
    person = factories.person(commune, name="Nguyễn Thị Hương")
    db.session.commit()
    login(client, person)
    response = client.post("/catalog/modules/NCT-06/quiz/start")
    return db.session.get(Attempt, int(response.location.rstrip("/").split("/")[-1]))


def _question(attempt: Attempt, kind: str):
    return next(q for q in services.questions_of(attempt) if q.type == kind)


def _saved() -> int:
    return db.session.scalar(select(func.count()).select_from(AttemptAnswer)) or 0


@pytest.mark.parametrize("body", [
    {"data": "not json", "content_type": "application/json"},
    {"data": "{\"answers\": [", "content_type": "application/json"},
    {"data": "answers=1", "content_type": "application/x-www-form-urlencoded"},
    {"json": None}, {"json": []}, {"json": [1, 2]}, {"json": "answers"}, {"json": 12},
    {"json": {"answers": "x"}}, {"json": {"answers": {"question_id": 1}}}, {"json": {"answers": None}},
    {"json": {"answers": [{}] * 101}},
    {"data": "{\"answers\": [{\"question_id\": 1" + "0" * 5000 + "}]}", "content_type": "application/json"},
])
def test_a_body_that_is_not_a_list_of_answers_is_refused_as_a_whole(client: FlaskClient, attempt, body) -> None:
    response = client.post(f"/quiz/attempts/{attempt.id}/answers.json", **body)
    assert response.status_code == 400
    assert response.get_json() == {"error": 400, "message": BAD_BODY}
    assert _saved() == 0


def _items(attempt: Attempt) -> list[object]:
    choice, short = _question(attempt, "multichoice"), _question(attempt, "shortanswer")
    multi = _question(attempt, "multiresponse")
    right = keys.keys_for(attempt, choice).to_page(0)
    return [
        "not an object", 7, None, [right],
        {"question_id": "abc", "response": right},
        {"question_id": 1e308 * 10, "response": right},  # JSON 1e999: infinity
        {"question_id": 10 ** 30, "response": right},
        {"question_id": [choice.id], "response": right},
        {"question_id": True, "response": right},
        {"question_id": 987654, "response": right},
        {"question_id": choice.id, "response": "no-such-key"},
        {"question_id": choice.id, "response": 0},
        {"question_id": choice.id, "response": 10 ** 300},
        {"question_id": choice.id, "response": 1.5},
        {"question_id": choice.id, "response": True},
        {"question_id": choice.id, "response": [[right]]},
        {"question_id": choice.id, "response": {right: right}},
        {"question_id": choice.id, "response": f"{right}\x01"},
        {"question_id": choice.id, "response": [right, keys.keys_for(attempt, choice).to_page(1)]},
        {"question_id": choice.id, "response": None},
        {"question_id": choice.id, "response": ""},
        {"question_id": multi.id, "response": []},
        {"question_id": multi.id, "response": [{"a": 1}]},
        {"question_id": short.id, "response": ["113", "114"]},
        {"question_id": short.id, "response": {"a": "113"}},
        {"question_id": short.id, "response": 113},
        {"question_id": short.id, "response": "x" * 501},
        {"question_id": short.id, "response": " \x01\u200b "},
    ]


def test_each_bad_answer_in_a_batch_is_reported_and_nothing_is_saved(client: FlaskClient, attempt) -> None:
    items = _items(attempt)
    payload = {"answers": [item if not isinstance(item, dict) else {**item, "client_id": f"c-{n}"}
                           for n, item in enumerate(items)]}
    response = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json=payload)
    assert response.status_code == 200
    data = response.get_json()
    assert data["saved"] == [] and len(data["failed"]) == len(items)
    assert {f["message"] for f in data["failed"]} == {"Câu trả lời không hợp lệ.", "Câu hỏi không thuộc bài này.",
                                                      EMPTY}
    assert _saved() == 0


def test_nul_bytes_anywhere_in_an_answer_are_refused_without_saving(client: FlaskClient, attempt) -> None:
    choice, short = _question(attempt, "multichoice"), _question(attempt, "shortanswer")
    right = keys.keys_for(attempt, choice).to_page(0)
    for item in ({"question_id": f"{choice.id}\x00", "response": right},
                 {"question_id": choice.id, "response": f"{right}\x00"},
                 {"question_id": choice.id, "response": right, "client_id": "\x00"},
                 {"question_id": short.id, "response": "1\x0013"}):
        response = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"answers": [item]})
        data = response.get_json()
        # Refused as a whole by the request guard, or item by item here: a message either way, never a 500.
        assert (response.status_code, bool(data.get("message"))) == (400, True) or data["failed"][0]["message"]
    form = client.post(f"/quiz/attempts/{attempt.id}/answer", data={"question_id": short.id, "answer": "1\x0013"})
    assert form.status_code in (302, 400) and _saved() == 0


def test_client_ids_and_times_are_cleaned_before_they_are_stored(client: FlaskClient, attempt) -> None:
    question = _question(attempt, "multichoice")
    answer = {"question_id": question.id, "response": keys.keys_for(attempt, question).to_page(0)}
    batch = [{**answer, "client_id": "a\x01b\u200b" + "c" * 100, "client_time": "9999-12-31T23:59:59-05:00"},
             {**answer, "client_id": ["x"], "client_time": "0001-01-01T00:00:00+05:00"},
             {**answer, "client_id": "d", "client_time": ["2026-11-22T01:00:00Z"]}]
    data = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"answers": batch}).get_json()
    assert data["saved"] == ["ab" + "c" * 62, None, "d"] and data["failed"] == []
    stored = db.session.scalars(select(AttemptAnswer)).one()
    assert stored.client_id == "d" and stored.client_time is None


def test_typed_answers_are_cleaned_and_kept_short(client: FlaskClient, attempt) -> None:
    question = _question(attempt, "shortanswer")
    data = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"answers": [
        {"client_id": "c-1", "question_id": question.id, "response": "  1\x0113\u200b  "}]}).get_json()
    assert data["saved"] == ["c-1"]
    assert db.session.scalars(select(AttemptAnswer)).one().response == "113"


@pytest.mark.parametrize("kind", ["multichoice", "truefalse", "multiresponse", "shortanswer"])
def test_the_plain_form_sent_empty_says_so_and_saves_nothing(client: FlaskClient, attempt, kind: str) -> None:
    question = _question(attempt, kind)
    index = attempt.question_ids.index(question.id)
    for form in ({"question_id": question.id}, {"question_id": question.id, "answer": ""}):
        response = client.post(f"/quiz/attempts/{attempt.id}/answer", data=form)
        assert response.status_code == 302 and response.location.endswith(f"q={index}")
        assert EMPTY in client.get(response.location).get_data(as_text=True)
    assert _saved() == 0


def test_the_plain_form_with_unknown_or_broken_values_says_so_and_saves_nothing(client: FlaskClient, attempt) -> None:
    question = _question(attempt, "multichoice")
    for form, message in [({"question_id": question.id, "answer": "0"}, "Câu trả lời không hợp lệ."),
                          ({"question_id": question.id, "answer": "\x01"}, "Câu trả lời không hợp lệ."),
                          ({"question_id": question.id, "pair-x": "y"}, "Câu trả lời không hợp lệ."),
                          ({"question_id": "9" * 40, "answer": "0"}, "Câu hỏi không thuộc bài này."),
                          ({"question_id": "abc\x01"}, "Câu hỏi không thuộc bài này."),
                          ({}, "Câu hỏi không thuộc bài này.")]:
        response = client.post(f"/quiz/attempts/{attempt.id}/answer", data=form)
        assert response.status_code == 302
        assert message in client.get(response.location).get_data(as_text=True)
    assert _saved() == 0


def test_a_matching_question_sent_with_nothing_paired_says_so(client: FlaskClient, curriculum) -> None:
    commune = factories.commune()
    services.save_settings(commune_id=commune.id, module_id=None,
                           values={**services.DEFAULTS, "question_count": 50}, actor=None)
    person = factories.person(commune, name="Trần Văn Bình")
    db.session.commit()
    login(client, person)
    response = client.post("/catalog/modules/NCT-01/quiz/start")
    found = db.session.get(Attempt, int(response.location.rstrip("/").split("/")[-1]))
    question = _question(found, "matching")
    item_keys = keys.keys_for(found, question).items
    response = client.post(f"/quiz/attempts/{found.id}/answer",
                           data={"question_id": question.id, **{f"pair-{k}": "" for k in item_keys}})
    assert EMPTY in client.get(response.location).get_data(as_text=True)
    data = client.post(f"/quiz/attempts/{found.id}/answers.json", json={"answers": [
        {"client_id": "c-1", "question_id": question.id, "response": {}},
        {"client_id": "c-2", "question_id": question.id, "response": {"0": keys.keys_for(found, question).options[0]}},
        {"client_id": "c-3", "question_id": question.id, "response": {item_keys[0]: ["x"]}}]}).get_json()
    assert [f["message"] for f in data["failed"]] == [EMPTY, "Câu trả lời không hợp lệ.", "Câu trả lời không hợp lệ."]
    assert _saved() == 0
