"""Scoring every question type, the Moodle way."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest

from app.quizzes.types import TYPES


@dataclass
class Q:
    type: str
    answers: list[dict] = field(default_factory=list)


def a(text: str, fraction: float, feedback: str | None = None, match: str | None = None) -> dict:
    return {"text": text, "fraction": fraction, "feedback": feedback, "match": match}


MC = Q("multichoice", [a("Nhấn giữ nút nguồn", 1.0, "Đúng"), a("Chạm màn hình", 0.0, "Sai"),
                        a("Gần đúng", 0.5), a("Nguy hiểm", -0.5)])
MR = Q("multiresponse", [a("Gọi 113", 0.5), a("Chặn số", 0.5), a("Chuyển tiền", -1.0), a("Im lặng", 0.0)])
TF = Q("truefalse", [a("true", 0.0, "Sai rồi"), a("false", 1.0, "Đúng, mã OTP không được đưa ai")])
SA = Q("shortanswer", [a("113", 1.0, "Đúng"), a("Hồ Chí Minh", 1.0), a("gần đúng", 0.5)])
MT = Q("matching", [a("Công an", 0, match="113"), a("Cứu hỏa", 0, match="114"), a("Cấp cứu", 0, match="115"),
                    a("", 0, match="116")])


def test_single_choice_scores_the_chosen_answers_weight() -> None:
    kind = TYPES["multichoice"]
    assert [kind.score(MC, i) for i in range(4)] == [1.0, 0.0, 0.5, 0.0]  # negative clamps to zero
    assert kind.feedback(MC, 1) == ["Sai"]


def test_multiple_answers_add_their_weights_and_wrong_ones_take_marks_away() -> None:
    kind = TYPES["multiresponse"]
    assert kind.score(MR, [0, 1]) == 1.0
    assert kind.score(MR, [0]) == 0.5
    assert kind.score(MR, [0, 1, 2]) == 0.0
    assert kind.score(MR, [0, 3]) == 0.5
    assert kind.read(MR, ["1", "0", "1"]) == [0, 1]


def test_true_false_scores_the_right_side_only() -> None:
    kind = TYPES["truefalse"]
    assert kind.score(TF, 1) == 1.0 and kind.score(TF, 0) == 0.0
    assert kind.feedback(TF, 0) == ["Sai rồi"]
    assert kind.order(TF, random.Random(1), shuffle=True) == [0, 1]  # Đúng then Sai, always


def test_short_answer_ignores_case_spaces_and_missing_diacritics() -> None:
    kind = TYPES["shortanswer"]
    assert kind.score(SA, " 113 ") == 1.0
    assert kind.score(SA, "hồ  chí minh") == 1.0
    assert kind.score(SA, "ho chi minh") == 1.0
    assert kind.score(SA, "Gần đúng") == 0.5
    assert kind.score(SA, "115") == 0.0
    assert kind.options(SA, [0, 1, 2]) == []  # accepted answers never reach the page


def test_matching_earns_a_share_per_right_pair() -> None:
    kind = TYPES["matching"]
    right = {"0": 0, "1": 1, "2": 2}
    assert kind.score(MT, right) == 1.0
    assert kind.score(MT, {"0": 0, "1": 2, "2": 1}) == pytest.approx(1 / 3)
    assert kind.score(MT, {"0": 3}) == 0.0
    assert kind.read(MT, {"0": "0", "3": "1", "1": ""}) == {"0": 0}  # the distractor is not a left item


@pytest.mark.parametrize(("name", "question", "raw"), [
    ("multichoice", MC, "9"), ("multichoice", MC, "x"), ("multiresponse", MR, ["7"]),
    ("truefalse", TF, "2"), ("matching", MT, "not a mapping"), ("shortanswer", SA, "x" * 501)])
def test_impossible_answers_are_refused(name: str, question: Q, raw: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        TYPES[name].read(question, raw)


def test_answer_order_is_shuffled_only_when_asked() -> None:
    kind = TYPES["multichoice"]
    assert kind.order(MC, random.Random(3), shuffle=False) == [0, 1, 2, 3]
    orders = {tuple(kind.order(MC, random.Random(seed), shuffle=True)) for seed in range(20)}
    assert len(orders) > 1 and all(sorted(o) == [0, 1, 2, 3] for o in orders)


@pytest.mark.parametrize("question", [MC, MR, TF, SA, MT])
def test_the_best_response_earns_full_marks(question: Q) -> None:
    kind = TYPES[question.type]
    assert kind.score(question, kind.best_response(question)) == 1.0
