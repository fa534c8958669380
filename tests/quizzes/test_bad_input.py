"""Bad input to the quiz (broken JSON, wrong types, unknown ids, NUL bytes, an empty form) gets a clear
Vietnamese message, saves nothing and never fails with a 500."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db, utcnow
from app.quizzes import keys, services
from app.quizzes.models import Attempt, AttemptAnswer
from tests import factories
from tests.conftest import login

BAD_BODY = "Dữ liệu gửi lên không đọc được; chưa có gì được lưu."
EMPTY = "Hãy chọn hoặc nhập câu trả lời rồi mới lưu."


@pytest.fixture
def attempt(client: FlaskClient, curriculum) -> Attempt:
    commune = factories.commune()
    services.save_settings(commune_id=commune.id, module_id=None,
                           values={"question_count": 50}, actor=None)
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
    {"data": "{\"items\": [", "content_type": "application/json"},
    {"data": "items=1", "content_type": "application/x-www-form-urlencoded"},
    {"json": None}, {"json": []}, {"json": [1, 2]}, {"json": "items"}, {"json": 12},
    {"json": {"items": "x"}}, {"json": {"items": {"question_id": 1}}}, {"json": {"items": None}},
    {"json": {"items": [], "device": 7}}, {"json": {"answers": []}},
    {"json": {"items": [{}] * 101}, "message": "Mỗi lần gửi được tối đa 100 mục."},
    {"data": "{\"items\": [{\"question_id\": 1" + "0" * 5000 + "}]}", "content_type": "application/json"},
    {"json": {"items": ["not an object"]}, "message": "Mục thứ 1 trong gói gửi lên không hợp lệ"},
    {"json": {"items": [{"question_id": 1, "response": "a"}]}, "message": "Mục thứ 1 trong gói gửi lên không hợp lệ"},
    {"json": {"items": [{"client_id": "short", "question_id": 1}]}, "message": "Mục thứ 1"},
    {"json": {"items": [{"client_id": ["answer-1"], "question_id": 1}]}, "message": "Mục thứ 1"},
    {"json": {"items": [{"client_id": "a\u200bnswer-1", "question_id": 1}]}, "message": "Mục thứ 1"},
    {"json": {"items": [{"client_id": "c" * 65, "question_id": 1}]}, "message": "Mục thứ 1"},
])
def test_a_body_that_is_not_a_batch_of_answers_is_refused_as_a_whole(client: FlaskClient, attempt, body) -> None:
    message = body.pop("message", BAD_BODY)
    response = client.post(f"/quiz/attempts/{attempt.id}/answers.json", **body)
    assert response.status_code == 400
    assert response.get_json()["error"] == 400 and message in response.get_json()["message"]
    assert _saved() == 0


def _items(attempt: Attempt) -> list[object]:
    choice, short = _question(attempt, "multichoice"), _question(attempt, "shortanswer")
    multi = _question(attempt, "multiresponse")
    right = keys.keys_for(attempt, choice).to_page(0)
    return [
        {"question_id": "abc", "response": right},
        {"question_id": 1e308 * 10, "response": right},  # JSON 1e999: infinity
        {"question_id": 10 ** 30, "response": right},
        {"question_id": [choice.id], "response": right},
        {"question_id": True, "response": right},
        {"question_id": "٥", "response": right},
        {"question_id": 5.0, "response": right},
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
    payload = {"items": [{**item, "client_id": f"answer-{n}"} for n, item in enumerate(items)]}
    response = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json=payload)
    assert response.status_code == 422  # every one refused: no device may take this for a success
    data = response.get_json()
    assert data["stored"] == [] and len(data["failed"]) == len(items)
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
        item = {"client_id": "answer-1", **item}
        response = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"items": [item]})
        data = response.get_json()
        # Refused as a whole by the request guard, or item by item here: a message either way, never a 500.
        assert (response.status_code, bool(data.get("message"))) == (400, True) or data["failed"][0]["message"]
    form = client.post(f"/quiz/attempts/{attempt.id}/answer", data={"question_id": short.id, "answer": "1\x0013"})
    assert form.status_code in (302, 400) and _saved() == 0


@pytest.mark.parametrize("device_time", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00",
                                         "1970-01-01T00:00:00Z", "2300-01-01T00:00:00Z", "yesterday",
                                         ["2026-11-22T01:00:00Z"], 1700000000, None])
def test_an_absurd_device_time_counts_as_the_servers_time(client: FlaskClient, attempt, device_time) -> None:
    question = _question(attempt, "multichoice")
    answer = {"question_id": question.id, "response": keys.keys_for(attempt, question).to_page(0)}
    before = utcnow()
    data = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"items": [
        {**answer, "client_id": "answer-1", "device_time": device_time}]}).get_json()
    assert data["stored"] == ["answer-1"] and data["failed"] == []
    stored = db.session.scalars(select(AttemptAnswer)).one()
    assert stored.client_id == "answer-1"
    assert before - dt.timedelta(seconds=5) <= stored.client_time.replace(tzinfo=dt.UTC) <= utcnow()


def test_between_two_answers_to_one_question_the_later_by_the_devices_clock_wins(
        client: FlaskClient, attempt) -> None:
    question = _question(attempt, "multichoice")
    first, second = (keys.keys_for(attempt, question).to_page(i) for i in (0, 1))
    now = utcnow()
    url = f"/quiz/attempts/{attempt.id}/answers.json"
    newer = {"client_id": "answer-new", "question_id": question.id, "response": second,
             "device_time": (now - dt.timedelta(minutes=1)).isoformat()}
    older = {"client_id": "answer-old", "question_id": question.id, "response": first,
             "device_time": (now - dt.timedelta(hours=2)).isoformat()}
    assert client.post(url, json={"items": [newer]}).get_json()["stored"] == ["answer-new"]
    # The older answer arrives late (it waited on another tablet): acknowledged, and changes nothing.
    assert client.post(url, json={"items": [older]}).get_json()["stored"] == ["answer-old"]
    db.session.expire_all()
    stored = db.session.scalars(select(AttemptAnswer)).one()
    assert stored.client_id == "answer-new" and keys.keys_for(attempt, question).to_page(stored.response) == second


def test_typed_answers_are_cleaned_and_kept_short(client: FlaskClient, attempt) -> None:
    question = _question(attempt, "shortanswer")
    data = client.post(f"/quiz/attempts/{attempt.id}/answers.json", json={"items": [
        {"client_id": "answer-1", "question_id": question.id, "response": "  1\x0113\u200b  "}]}).get_json()
    assert data["stored"] == ["answer-1"]
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
                          ({"question_id": question.id, "pair-x": "y"}, EMPTY),  # the type reads its own fields
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
                           values={"question_count": 50}, actor=None)
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
    option = keys.keys_for(found, question).options[0]
    data = client.post(f"/quiz/attempts/{found.id}/answers.json", json={"items": [
        {"client_id": "answer-1", "question_id": question.id, "response": {}},
        {"client_id": "answer-2", "question_id": question.id, "response": {"0": option}},
        {"client_id": "answer-3", "question_id": question.id, "response": {item_keys[0]: ["x"]}}]}).get_json()
    assert [f["message"] for f in data["failed"]] == [EMPTY, "Câu trả lời không hợp lệ.", "Câu trả lời không hợp lệ."]
    assert _saved() == 0


def test_random_batches_never_cause_a_server_error_and_bad_ones_save_nothing(client: FlaskClient, attempt) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    url = f"/quiz/attempts/{attempt.id}/answers.json"
    values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=3), max_leaves=8)
    item = st.fixed_dictionaries({}, optional={
        "client_id": st.one_of(st.uuids().map(str), st.text(max_size=70), values),
        "device_time": st.one_of(st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()), values),
        "question_id": st.one_of(st.sampled_from(attempt.question_ids), st.integers(), values),
        "response": values})
    batch = st.one_of(values, st.fixed_dictionaries({"items": st.lists(item, max_size=4)},
                                                    optional={"device": st.one_of(st.text(max_size=50), values)}))

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(batch)
    def check(body: object) -> None:
        before = _saved()
        reply = client.post(url, data=json.dumps(body), content_type="application/json")
        assert reply.status_code in (200, 400, 422) and reply.is_json, reply.status_code
        if reply.status_code != 200:
            assert _saved() == before

    check()
