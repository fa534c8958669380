"""Question types as a registry: each type knows how to present, read, score, explain and import an answer.

A type is one class here, registered with `@register`; one template, `template` (templates/quizzes/types/); and
one small script for the page, `static/quiz-<widget>.js`, which registers `HVS.quizWidgets[widget]` (types that
look alike share one). The quiz page, the results page, the plain form and the GIFT reader only ever ask the
class. Scoring follows Moodle: fractions per answer, partial and negative weights, clamped to 0..1.
"""
from __future__ import annotations

import random
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, NoReturn, Protocol, TypeVar

from flask_babel import gettext as _

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


class FormLike(Protocol):
    def getlist(self, key: str) -> list[str]: ...
    def items(self) -> Any: ...


class GiftBlock(Protocol):
    """A GIFT answer block `{…}` with the syntax every type shares (app/catalog/gift.py makes it)."""

    source: str  # as written (escapes kept, comment lines blanked)
    content: str  # the same, stripped
    markers: set[str]  # the unescaped `=` and `~` in it
    line: int  # the question's first line, for errors about the whole block

    def items(self, markers: str) -> list[tuple[str, str, int]]: ...
    def weighted(self, raw: str, line: int) -> tuple[float | None, str]: ...
    def split(self, raw: str, parts: int = 2) -> tuple[str, str | None, str | None]: ...
    def unescape(self, text: str) -> str: ...
    def quote(self, raw: str) -> str: ...
    def answer(self, text: str, fraction: float, feedback: str | None = None, match: str | None = None) -> Any: ...
    def fail(self, line: int, code: str, **params: object) -> NoReturn: ...


class QuestionType(ABC):
    """Base behaviour: multiple choice-like questions with indexed answers."""

    name: ClassVar[str]
    template: ClassVar[str]
    widget: ClassVar[str]  # the page script handling the template's fields: static/quiz-<widget>.js
    shuffles: ClassVar[bool] = True
    keyed: ClassVar[bool] = True  # answers are chosen, so the page names them by the attempt's opaque keys
    # The GIFT reader asks the types in this order (Moodle's); the first to read a block wins. Below 0: asked before
    # the reader refuses essay `{}` and numerical `{#…}` blocks, so a type may read those.
    gift_order: ClassVar[int] = 50
    gift_messages: ClassVar[dict[str, tuple[str, str]]] = {}  # GIFT error code -> (Vietnamese, English)

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

    def from_form(self, form: FormLike) -> Any:
        """Return the answer a plain form (a page without JavaScript) sent, as the page names it."""
        return form.getlist("answer")

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

    def answer_text(self, question: QuestionLike, response: Any) -> str:
        """Say in words what the learner answered (a response that is not empty)."""
        return "; ".join(question.answers[k]["text"] for k in self._chosen(response))

    def right_text(self, question: QuestionLike) -> str:
        """Say in words what the right answer was."""
        return "; ".join(self.right_answer(question))

    def best_response(self, question: QuestionLike) -> Any:
        """Return a response earning full marks (for demo data and for checking the scoring)."""
        return max(range(len(question.answers)), key=lambda k: question.answers[k]["fraction"])

    def from_gift(self, block: GiftBlock) -> list[Any] | None:
        """Return the answers if the GIFT answer block is written this type's way, else None; block.fail if wrong."""
        return None

    def _chosen(self, response: Any) -> list[int]:
        return [response] if isinstance(response, int) else list(response or [])


TYPES: dict[str, QuestionType] = {}
Q = TypeVar("Q", bound=QuestionType)


def register(cls: type[Q]) -> type[Q]:
    """Add a question type (a class decorator); the name is what questions store."""
    TYPES[cls.name] = cls()
    return cls


def type_of(question: QuestionLike) -> QuestionType:
    """Return the behaviour for a question's type."""
    return TYPES[question.type]


def gift_readers() -> list[QuestionType]:
    """Return the types in the order the GIFT reader asks them."""
    return sorted(TYPES.values(), key=lambda kind: kind.gift_order)


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


def _gift_choices(block: GiftBlock) -> list[Any]:
    """Read `=`/`~` answers: `=` is worth 100% and `~` nothing unless weighted (`~%50%…`)."""
    answers = []
    for tok, raw, line in block.items("=~"):
        weight, rest = block.weighted(raw, line)
        text, feedback, _unused = block.split(rest)
        if not text:
            block.fail(line, "empty_answer")
        answers.append(block.answer(text, (1.0 if tok == "=" else 0.0) if weight is None else weight, feedback))
    if len(answers) < 2:
        block.fail(block.line, "too_few_answers")
    return answers


@register
class MultiChoice(QuestionType):
    """One answer to pick; partial credit as weighted. GIFT: `~` answers with at least one `=`."""

    name, template, widget, gift_order = "multichoice", "quizzes/types/choice.html", "choice", 10

    def read(self, question: QuestionLike, raw: Any) -> int | None:
        return _single(question, raw)

    def score(self, question: QuestionLike, response: Any) -> float:
        if response is None:
            return 0.0
        return max(0.0, min(1.0, float(question.answers[int(response)]["fraction"])))

    def from_gift(self, block: GiftBlock) -> list[Any] | None:
        if not {"=", "~"} <= block.markers:
            return None
        answers = _gift_choices(block)
        best = max(a.fraction for a in answers)
        if abs(best - 1) > 1e-9:
            block.fail(block.line, "no_full_credit", best=f"{best * 100:g}")
        return answers


@register
class MultiResponse(QuestionType):
    """Several answers to tick; right ones add up to 100%, wrong ones can take marks away. GIFT: `~` only."""

    name, template, widget, gift_order = "multiresponse", "quizzes/types/multi.html", "checks", 20

    def read(self, question: QuestionLike, raw: Any) -> list[int]:
        values = raw if isinstance(raw, list) else [raw]
        return sorted({_index(question, v) for v in values if v != ""})

    def score(self, question: QuestionLike, response: Any) -> float:
        total = sum(float(question.answers[k]["fraction"]) for k in self._chosen(response))
        return max(0.0, min(1.0, total))

    def best_response(self, question: QuestionLike) -> list[int]:
        return [k for k, a in enumerate(question.answers) if a["fraction"] > 0]

    def from_gift(self, block: GiftBlock) -> list[Any] | None:
        if "~" not in block.markers or "=" in block.markers:
            return None
        answers = _gift_choices(block)
        total = sum(a.fraction for a in answers if a.fraction > 0)
        if total == 0:
            block.fail(block.line, "no_correct")
        if round(total, 2) != 1:  # Moodle accepts 3 x 33.333% the same way
            block.fail(block.line, "weights_sum", total=f"{total * 100:g}")
        return answers


@register
class TrueFalse(QuestionType):
    """Đúng or Sai; always shown in that order. GIFT: `{T}` or `{FALSE#wrong choice's feedback#right one's}`."""

    name, template, widget, shuffles, gift_order = "truefalse", "quizzes/types/truefalse.html", "choice", False, 40
    spellings: ClassVar[dict[str, bool]] = {"T": True, "TRUE": True, "F": False, "FALSE": False}

    def read(self, question: QuestionLike, raw: Any) -> int | None:
        return _single(question, raw)

    def score(self, question: QuestionLike, response: Any) -> float:
        return 1.0 if response is not None and question.answers[int(response)]["fraction"] > 0 else 0.0

    def right_answer(self, question: QuestionLike) -> list[str]:
        return ["true" if question.answers[0]["fraction"] > 0 else "false"]

    def answer_text(self, question: QuestionLike, response: Any) -> str:
        return str(_("Đúng") if response == 0 else _("Sai"))

    def right_text(self, question: QuestionLike) -> str:
        return self.answer_text(question, 0 if question.answers[0]["fraction"] > 0 else 1)

    def from_gift(self, block: GiftBlock) -> list[Any] | None:
        head, wrong, right = block.split(block.source, 3)
        if head not in self.spellings:  # case-sensitive like Moodle; {true} is not true/false there
            return None
        correct = self.spellings[head]
        # Moodle's order: the first feedback is shown for the wrong choice, the second for the right.
        return [block.answer("true", 1.0 if correct else 0.0, right if correct else wrong),
                block.answer("false", 0.0 if correct else 1.0, wrong if correct else right)]


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@register
class ShortAnswer(QuestionType):
    """A typed answer matched against the accepted ones, ignoring case and extra spaces. GIFT: `=` answers only."""

    name, template, widget, shuffles, keyed = "shortanswer", "quizzes/types/short.html", "text", False, False
    gift_order = 90  # last: it reads whatever the others did not

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

    def answer_text(self, question: QuestionLike, response: Any) -> str:
        return str(response)

    def best_response(self, question: QuestionLike) -> str:
        return str(max(question.answers, key=lambda a: a["fraction"])["text"])

    def from_gift(self, block: GiftBlock) -> list[Any] | None:
        answers = []  # whatever no other type read: text before the first `=` fails in items()
        for _tok, raw, line in block.items("="):
            weight, rest = block.weighted(raw, line)
            text, feedback, _unused = block.split(rest)
            if not text:
                block.fail(line, "empty_answer")
            answers.append(block.answer(text, 1.0 if weight is None else weight, feedback))
        best = max(a.fraction for a in answers)
        if abs(best - 1) > 1e-9:
            block.fail(block.line, "no_full_credit", best=f"{best * 100:g}")
        return answers


@register
class Matching(QuestionType):
    """Pair each item on the left with one on the right; each right pair earns its share. GIFT: `=left -> right`."""

    name, template, widget, gift_order = "matching", "quizzes/types/matching.html", "pairs", 30
    min_lines, min_pairs = 3, 2  # Moodle's form demands 2 questions and 3 answers; 2 pairs leave the last a gift

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

    def from_form(self, form: FormLike) -> dict[str, str]:
        return {key.removeprefix("pair-"): value for key, value in form.items() if key.startswith("pair-")}

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

    def answer_text(self, question: QuestionLike, response: Any) -> str:
        return "; ".join(f"{question.answers[int(k)]['text']} → {question.answers[v]['match']}"
                         for k, v in response.items())

    def best_response(self, question: QuestionLike) -> dict[str, int]:
        return {str(i): i for i in self.pairs(question)}

    def from_gift(self, block: GiftBlock) -> list[Any] | None:
        if "=" not in block.markers or "->" not in block.content:
            return None
        answers = []
        for _tok, raw, line in block.items("="):
            if "->" not in raw:
                block.fail(line, "match_arrow", text=block.quote(raw))
            left, right = (block.unescape(side).strip() for side in raw.split("->", 1))
            if not right:
                block.fail(line, "empty_answer")
            answers.append(block.answer(left, 1.0 if left else 0.0, None, right))  # no left side: a wrong choice
        if len(answers) < self.min_lines or sum(1 for a in answers if a.text) < self.min_pairs:
            block.fail(block.line, "match_count")
        return answers
