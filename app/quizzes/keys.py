"""Opaque option keys: what the quiz page shows and sends means something only to the server, for one attempt.

The banks put the right answer first, so an answer's place in the GIFT file must never reach the page (nor the
script's JSON, the offline queue or the plain form). Each attempt draws random keys for every answer of every
question it holds: one set naming the choices, and one naming the left-hand items of matching questions. The
page only ever sees those keys; they are turned back into answer indexes here, and nowhere else, so stored
responses, scoring and results keep working with indexes.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from app.catalog.models import Question
from app.quizzes.models import Attempt, AttemptAnswer
from app.quizzes.types import Option, QuestionType, type_of

KEY_BYTES = 6  # 48 random bits: 8 characters, never guessed, never an index


def _new_key(taken: set[str]) -> str:
    while True:
        key = secrets.token_urlsafe(KEY_BYTES)
        if key not in taken and not key.isdigit():
            taken.add(key)
            return key


def draw_keys(orders: dict[str, list[int]]) -> dict[str, dict[str, list[str]]]:
    """Make fresh keys for each drawn question: `options[i]` names answer i, `items[i]` its left-hand item."""
    drawn = {}
    for question_id, order in orders.items():
        taken: set[str] = set()
        drawn[question_id] = {"options": [_new_key(taken) for _ in order], "items": [_new_key(taken) for _ in order]}
    return drawn


class Keys:
    """One question's keys in one attempt, both ways."""

    def __init__(self, stored: dict[str, list[str]] | None) -> None:
        stored = stored or {}
        self.options, self.items = list(stored.get("options", [])), list(stored.get("items", []))
        self._option_index = {key: i for i, key in enumerate(self.options)}
        self._item_index = {key: i for i, key in enumerate(self.items)}

    def from_page(self, raw: Any) -> Any:
        """Turn keys as sent (one, a list, or {item: choice}) into answer indexes; ValueError for unknown keys."""
        if isinstance(raw, dict):
            return {str(self._look_up(self._item_index, left)): self._choice(right) for left, right in raw.items()}
        if isinstance(raw, list):
            return [self._choice(value) for value in raw]
        return self._choice(raw)

    def to_page(self, response: Any) -> Any:
        """Turn a stored response (indexes) into the keys the page shows; None if it does not fit."""
        try:
            if isinstance(response, dict):
                return {self.items[int(left)]: self.options[right] for left, right in response.items()}
            if isinstance(response, list):
                return [self.options[i] for i in response]
            return None if response is None else self.options[response]
        except (IndexError, TypeError, ValueError):
            return None

    def _choice(self, value: Any) -> int | str:
        return "" if value == "" else self._look_up(self._option_index, value)  # "": a list left on "— Chọn —"

    @staticmethod
    def _look_up(table: dict[str, int], key: Any) -> int:
        if not isinstance(key, str) or key not in table:
            raise ValueError("unknown key")
        return table[key]


def keys_for(attempt: Attempt, question: Question) -> Keys:
    """Return the keys of one question in an attempt."""
    return Keys((attempt.option_keys or {}).get(str(question.id)))


def from_page(attempt: Attempt, question: Question, raw: Any) -> Any:
    """Turn an answer as the page sent it into the question type's raw value (typed text passes through)."""
    return keys_for(attempt, question).from_page(raw) if type_of(question).keyed else raw


@dataclass(frozen=True)
class PageQuestion:
    """One question of an attempt as the page shows it: nothing in it says which answer is right."""

    question: Question
    kind: QuestionType
    options: list[Option]  # the choices in the order shown, named by key
    items: list[Option]  # a matching question's left-hand items, named by key
    answer: Any  # the saved answer, in keys (typed text as is); None when not answered yet


def page(attempt: Attempt, questions: list[Question], answers: dict[int, AttemptAnswer]) -> list[PageQuestion]:
    """Return the attempt's questions for the page, every choice and saved answer in the attempt's keys."""
    shown = []
    for question in questions:
        kind, keys = type_of(question), keys_for(attempt, question)
        saved = answers[question.id].response if question.id in answers else None
        options = [Option(keys.options[o.key], o.text)  # type: ignore[index]
                   for o in kind.options(question, attempt.answer_orders[str(question.id)])]
        items = [Option(keys.items[o.key], o.text) for o in kind.items(question)]  # type: ignore[index]
        answer = keys.to_page(saved) if kind.keyed else saved
        shown.append(PageQuestion(question, kind, options, items, answer))
    return shown
