"""Question types as a registry: each type knows how to present, read, score and explain an answer.

Adding a type is one class here plus one small template in templates/quizzes/types/.
Scoring follows Moodle: fractions per answer, partial and negative weights, clamped to 0..1.
"""
from __future__ import annotations

import random
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from app.text import clean_text
from app.vietnam import search_key

SHORT_ANSWER_MAX = 500  # characters of a typed answer


@dataclass(frozen=True)
class Option:
    """One choice as shown: its index in the stored answers (or, on the page, the attempt's key), and its text."""

    key: int | str
    text: str


class QuestionLike(Protocol):
    type: str
    answers: list[dict[str, Any]]


class QuestionType(ABC):
    """Base behaviour: multiple choice-like questions with indexed answers."""

    name: ClassVar[str]
    template: ClassVar[str]
    shuffles: ClassVar[bool] = True
    keyed: ClassVar[bool] = True  # answers are chosen, so the page names them by the attempt's opaque keys

    def order(self, question: QuestionLike, rng: random.Random, shuffle: bool) -> list[int]:
        """Return the order answers are shown in (indexes into question.answers)."""
        keys = list(range(len(question.answers)))
        if shuffle and self.shuffles:
            rng.shuffle(keys)
        return keys

    def options(self, question: QuestionLike, order: list[int]) -> list[Option]:
        """Return the choices in display order."""
        return [Option(k, question.answers[k]["text"]) for k in order]

    def items(self, question: QuestionLike) -> list[Option]:
        """Return the items each choice is paired with (matching questions' left-hand side), in bank order."""
        return []

    @abstractmethod
    def read(self, question: QuestionLike, raw: Any) -> Any:
        """Turn a submitted value into a clean response (empty when nothing was chosen); raise ValueError if invalid."""

    @abstractmethod
    def score(self, question: QuestionLike, response: Any) -> float:
        """Return the fraction of the mark earned, 0..1."""

    def feedback(self, question: QuestionLike, response: Any) -> list[str]:
        """Return the feedback for the answer given."""
        return [str(question.answers[k]["feedback"]) for k in self._chosen(response)
                if 0 <= k < len(question.answers) and question.answers[k].get("feedback")]

    def right_answer(self, question: QuestionLike) -> list[str]:
        """Return the text of the right answer(s), for the results page."""
        return [a["text"] for a in question.answers if a["fraction"] > 0]

    def best_response(self, question: QuestionLike) -> Any:
        """Return a response earning full marks (for demo data and for checking the scoring)."""
        return max(range(len(question.answers)), key=lambda k: question.answers[k]["fraction"])

    def _chosen(self, response: Any) -> list[int]:
        return [response] if isinstance(response, int) else list(response or [])


def _index(question: QuestionLike, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):  # not 1.5, True or a list
        raise ValueError(raw)
    value = int(raw)
    if not 0 <= value < len(question.answers):
        raise ValueError(raw)
    return value


def _single(question: QuestionLike, raw: Any) -> int | None:
    values = [v for v in (raw if isinstance(raw, list) else [raw]) if v != ""]
    if len(values) > 1:
        raise ValueError(raw)
    return _index(question, values[0]) if values else None


class MultiChoice(QuestionType):
    """One answer to pick; partial credit as weighted."""

    name, template = "multichoice", "quizzes/types/choice.html"

    def read(self, question: QuestionLike, raw: Any) -> int | None:
        return _single(question, raw)

    def score(self, question: QuestionLike, response: Any) -> float:
        if response is None:
            return 0.0
        return max(0.0, min(1.0, float(question.answers[int(response)]["fraction"])))


class MultiResponse(QuestionType):
    """Several answers to tick; right ones add up to 100%, wrong ones can take marks away."""

    name, template = "multiresponse", "quizzes/types/multi.html"

    def read(self, question: QuestionLike, raw: Any) -> list[int]:
        values = raw if isinstance(raw, list) else [raw]
        return sorted({_index(question, v) for v in values if v != ""})

    def score(self, question: QuestionLike, response: Any) -> float:
        total = sum(float(question.answers[k]["fraction"]) for k in self._chosen(response))
        return max(0.0, min(1.0, total))

    def best_response(self, question: QuestionLike) -> list[int]:
        return [k for k, a in enumerate(question.answers) if a["fraction"] > 0]


class TrueFalse(QuestionType):
    """Đúng or Sai; always shown in that order."""

    name, template, shuffles = "truefalse", "quizzes/types/truefalse.html", False

    def read(self, question: QuestionLike, raw: Any) -> int | None:
        return _single(question, raw)

    def score(self, question: QuestionLike, response: Any) -> float:
        return 1.0 if response is not None and question.answers[int(response)]["fraction"] > 0 else 0.0

    def right_answer(self, question: QuestionLike) -> list[str]:
        return ["true" if question.answers[0]["fraction"] > 0 else "false"]


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class ShortAnswer(QuestionType):
    """A typed answer matched against the accepted ones, ignoring case and extra spaces."""

    name, template, shuffles, keyed = "shortanswer", "quizzes/types/short.html", False, False

    def options(self, question: QuestionLike, order: list[int]) -> list[Option]:
        return []  # the accepted answers must not be sent to the page

    def read(self, question: QuestionLike, raw: Any) -> str:
        if isinstance(raw, list) and len(raw) <= 1:  # the plain form sends a list of one field (none if empty)
            raw = raw[0] if raw else ""
        if not isinstance(raw, str):
            raise ValueError(raw)
        text = clean_text(raw)
        if len(text) > SHORT_ANSWER_MAX:
            raise ValueError("too long")
        return text

    def _match(self, question: QuestionLike, response: Any) -> dict[str, Any] | None:
        if not response:
            return None
        given = _fold(str(response))
        exact = next((a for a in question.answers if _fold(a["text"]) == given), None)
        # Typing diacritics on a tablet is hard for beginners: "ho chi minh" still matches "Hồ Chí Minh".
        return exact or next((a for a in question.answers if search_key(a["text"]) == search_key(given)), None)

    def score(self, question: QuestionLike, response: Any) -> float:
        match = self._match(question, response)
        return max(0.0, min(1.0, float(match["fraction"]))) if match else 0.0

    def feedback(self, question: QuestionLike, response: Any) -> list[str]:
        match = self._match(question, response)
        return [str(match["feedback"])] if match and match.get("feedback") else []

    def best_response(self, question: QuestionLike) -> str:
        return str(max(question.answers, key=lambda a: a["fraction"])["text"])


class Matching(QuestionType):
    """Pair each item on the left with one on the right; each right pair earns its share."""

    name, template = "matching", "quizzes/types/matching.html"

    def pairs(self, question: QuestionLike) -> list[int]:
        return [i for i, a in enumerate(question.answers) if a["text"]]

    def order(self, question: QuestionLike, rng: random.Random, shuffle: bool) -> list[int]:
        """Order of the right-hand choices (indexes of answers whose `match` is shown)."""
        keys = list(range(len(question.answers)))
        if shuffle:
            rng.shuffle(keys)
        return keys

    def options(self, question: QuestionLike, order: list[int]) -> list[Option]:
        return [Option(k, question.answers[k]["match"]) for k in order]

    def items(self, question: QuestionLike) -> list[Option]:
        return [Option(i, question.answers[i]["text"]) for i in self.pairs(question)]

    def read(self, question: QuestionLike, raw: Any) -> dict[str, int]:
        if not isinstance(raw, dict):
            raise ValueError(raw)
        pairs = set(self.pairs(question))
        return {str(_index(question, left)): _index(question, right) for left, right in raw.items()
                if right != "" and _index(question, left) in pairs}

    def score(self, question: QuestionLike, response: Any) -> float:
        pairs = self.pairs(question)
        if not pairs or not response:
            return 0.0
        right = sum(1 for left in pairs if response.get(str(left)) is not None
                    and question.answers[response[str(left)]]["match"] == question.answers[left]["match"])
        return right / len(pairs)

    def feedback(self, question: QuestionLike, response: Any) -> list[str]:
        return []

    def right_answer(self, question: QuestionLike) -> list[str]:
        return [f"{question.answers[i]['text']} → {question.answers[i]['match']}" for i in self.pairs(question)]

    def best_response(self, question: QuestionLike) -> dict[str, int]:
        return {str(i): i for i in self.pairs(question)}


TYPES: dict[str, QuestionType] = {t.name: t for t in (MultiChoice(), MultiResponse(), TrueFalse(), ShortAnswer(),
                                                      Matching())}


def type_of(question: QuestionLike) -> QuestionType:
    """Return the behaviour for a question's type."""
    return TYPES[question.type]
