"""Read question banks written in Moodle's GIFT format (`flask courses parse-gift`).

Follows Moodle's importer (question/format/gift/format.php): a question is a run of non-blank
lines; `//` lines are comments whose `[id:…]` and `[tag:…]` give the idnumber and tags; each
line is trimmed as Moodle does. This module reads what every question shares (title, text,
format, the one `{…}` answer block, general feedback, weights, escapes); what is inside the
block is read by the question types (app/quizzes/types.py, `from_gift`), asked in their
`gift_order`: the first one that recognises the block reads it, with the type's own rules
(e.g. multiple-response weights must add up to 100%, matching needs 2 real pairs). This module
names no question type. Where Moodle silently imports nonsense, we report an error:
  - a title used twice in one file is an error and the later question is dropped, because
    titles (e.g. NCT-01-Q01) identify questions when a bank is synced; the same for `[id:…]`;
  - `[tag:…]`/`[id:…]` comments separated from their question by a blank line are reported,
    since the question would otherwise silently lose its skill codes;
  - `=%50%` weights are read in every answer (Moodle would keep "%50%" as text in some types).
Blocks no type reads are reported: essay (empty), numerical (`{#…}`) and description (no block)
questions as unsupported, anything else as text before the first `=` or `~`. Errors carry the
line where the question starts, or the line of the offending brace or answer. Besides the
standard library it imports only the type registry, which imports no other feature.
"""
from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NoReturn

from app.quizzes.types import gift_readers

from .gift_messages import MESSAGES

FORMATS = ("moodle", "html", "markdown", "plain")
BLANK = "_____"  # Moodle's marker for the missing word


@dataclass(frozen=True)
class GiftAnswer:
    text: str
    fraction: float  # -1.0..1.0, Moodle's percentage / 100
    feedback: str | None = None
    match: str | None = None  # right-hand side of a matching pair


@dataclass(frozen=True)
class GiftQuestion:
    type: str  # a question type's name (app.quizzes.types.TYPES)
    title: str | None
    text: str  # with BLANK where the answers were, if missing_word
    text_format: str  # one of FORMATS
    answers: tuple[GiftAnswer, ...]
    general_feedback: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    idnumber: str | None = None
    line: int = 0  # first line of the question itself (title or text), comments excluded
    missing_word: bool = False

    def to_dict(self) -> dict:
        """Return the question as JSON-ready data."""
        data = asdict(self)
        data["answers"] = [asdict(a) for a in self.answers]
        data["tags"] = list(self.tags)
        return data


@dataclass(frozen=True)
class GiftError:
    file: str
    line: int  # 0 when the problem concerns the whole file
    code: str
    message: str  # Vietnamese
    params: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    def message_en(self) -> str:
        """Return the same message in English."""
        pair = message_of(self.code)
        return pair[1].format(**dict(self.params)) if pair else self.message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class GiftResult:
    questions: tuple[GiftQuestion, ...]
    errors: tuple[GiftError, ...]


def message_of(code: str) -> tuple[str, str] | None:
    """Return an error code's message in Vietnamese and English: the reader's own, or a question type's."""
    return MESSAGES.get(code) or next((kind.gift_messages[code] for kind in gift_readers()
                                       if code in kind.gift_messages), None)


def make_error(file: str, line: int, code: str, **params: object) -> GiftError:
    """Build a GiftError whose message comes from the message table."""
    text_params = {k: str(v) for k, v in params.items()}
    pair = message_of(code)
    if pair is None:
        raise KeyError(code)
    return GiftError(file, line, code, pair[0].format(**text_params),
                     tuple(sorted(text_params.items())))


class _Fail(Exception):
    """Abort the current question with an error (caught per question)."""

    def __init__(self, line: int, code: str, **params: object) -> None:
        super().__init__(code)
        self.line, self.code, self.params = line, code, params


_UNESCAPE = re.compile(r"\\([\\~=#{}:n])")
_FORMAT = re.compile(r"\[(moodle|html|markdown|plain)\]")
_WEIGHT = re.compile(r"%([^%\n]*)%")
_NUMBER = re.compile(r"-?\d{1,3}(?:\.\d+)?")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")


def _scan(s: str, token: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, str]]:
    """Return (offset, match) of each unescaped token (a regex) in s[pos:endpos]."""
    # Consuming `\x` pairs first is what makes `\{`, `\::` and `\\{` behave as in Moodle.
    found = re.compile(r"\\[\s\S]|" + token).finditer(s, pos, len(s) if endpos is None else endpos)
    return [(m.start(), m.group()) for m in found if not m.group().startswith("\\")]


def _unescape(s: str) -> str:
    """Replace GIFT escapes with the characters they stand for."""
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), s)


def _short(s: str) -> str:
    """Shorten raw source text for quoting in a message."""
    s = " ".join(s.split())
    return s if len(s) <= 40 else s[:39] + "…"


def _comment_meta(comments: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """Return the idnumber and tags declared in Moodle's `// [id:…] [tag:…]` comments."""
    joined = "\n".join(comments)
    found = _ID.search(joined)
    idnumber = found.group(1).replace("\\]", "]").strip() if found else ""
    tags = [t.replace("\\]", "]").strip() for t in _TAG.findall(joined)]
    return idnumber or None, tuple(dict.fromkeys(t for t in tags if t))


class _Block:
    """One question's source: trimmed lines joined by newlines, comments blanked out."""

    def __init__(self, start: int, lines: list[str]) -> None:
        self.start = start
        self.comments = [ln for ln in lines if ln.startswith("//")]
        # Blank (not drop) comment lines so that offsets still map to source lines.
        self.body = "\n".join("" if ln.startswith("//") else ln for ln in lines)

    def line(self, offset: int) -> int:
        """Return the source line of an offset into body."""
        return self.start + self.body.count("\n", 0, offset)


def _weight(raw: str, line: int) -> tuple[float | None, str]:
    """Split a leading `%N%` weight off an answer; return (fraction or None, rest)."""
    stripped = raw.lstrip()
    found = _WEIGHT.match(stripped) if stripped.startswith("%") else None
    if found is None:
        return None, raw  # a lone % is ordinary text, as in Moodle
    number = found.group(1).strip()
    if not _NUMBER.fullmatch(number) or abs(float(number)) > 100:
        raise _Fail(line, "bad_weight", weight=_short(found.group(1)))
    return float(number) / 100, stripped[found.end():]


def _split_feedback(raw: str, parts: int = 2) -> tuple[str, str | None, str | None]:
    """Split raw answer text at its first parts-1 unescaped `#`; return unescaped pieces."""
    cuts = [p for p, _ in _scan(raw, "#")][: parts - 1]
    bounds = [-1, *cuts, len(raw)]
    pieces = [_unescape(raw[a + 1:b]).strip() for a, b in zip(bounds, bounds[1:], strict=False)] + ["", ""]
    return pieces[0], pieces[1] or None, pieces[2] or None


def _items(block: _Block, start: int, end: int, markers: str) -> list[tuple[str, str, int]]:
    """Split body[start:end] at unescaped markers into (marker, raw text, line) items."""
    body = block.body
    found = _scan(body, f"[{markers}]", start, end)
    head_end = found[0][0] if found else end
    if body[start:head_end].strip():
        lead = start + len(body[start:head_end]) - len(body[start:head_end].lstrip())
        raise _Fail(block.line(lead), "no_marker", text=_short(body[start:head_end]))
    ends = [p for p, _ in found[1:]] + [end]
    return [(tok, body[p + 1:e], block.line(p)) for (p, tok), e in zip(found, ends, strict=True)]


class _AnswerBlock:
    """A question's answer block as the question types read it (app.quizzes.types.GiftBlock)."""

    def __init__(self, block: _Block, start: int, end: int, qline: int) -> None:
        self._block, self._start, self._end, self.line = block, start, end, qline
        self.opening = block.line(start - 1)  # the line of its `{`
        self.source = block.body[start:end]
        self.content = self.source.strip()
        self.markers = {tok for _, tok in _scan(block.body, "[=~]", start, end)}

    def items(self, markers: str) -> list[tuple[str, str, int]]:
        """Split the block at unescaped markers into (marker, raw text, line) items."""
        return _items(self._block, self._start, self._end, markers)

    def weighted(self, raw: str, line: int) -> tuple[float | None, str]:
        """Split a leading `%N%` weight off an answer; return (fraction or None, rest)."""
        return _weight(raw, line)

    def split(self, raw: str, parts: int = 2) -> tuple[str, str | None, str | None]:
        """Split raw answer text at its first parts-1 unescaped `#`; return unescaped pieces."""
        return _split_feedback(raw, parts)

    def unescape(self, text: str) -> str:
        """Replace GIFT escapes with the characters they stand for."""
        return _unescape(text)

    def quote(self, raw: str) -> str:
        """Shorten raw source text for quoting in a message."""
        return _short(raw)

    def answer(self, text: str, fraction: float, feedback: str | None = None, match: str | None = None) -> GiftAnswer:
        """Return one answer as read."""
        return GiftAnswer(text, fraction, feedback, match)

    def fail(self, line: int, code: str, **params: object) -> NoReturn:
        """Give up on the question with an error (its code from MESSAGES or the type's gift_messages)."""
        raise _Fail(line, code, **params)

    def read(self) -> tuple[str, list[GiftAnswer]]:
        """Return the type and answers of the first question type that reads the block; fail if none does."""
        readers = gift_readers()
        for kind in readers:
            if kind.gift_order < 0 and (answers := kind.from_gift(self)) is not None:
                return kind.name, list(answers)
        if not self.content:  # Moodle looks for these two first; no type here reads them
            self.fail(self.opening, "essay")
        if self.content.startswith("#"):
            self.fail(self.opening, "numerical")
        for kind in readers:
            if kind.gift_order >= 0 and (answers := kind.from_gift(self)) is not None:
                return kind.name, list(answers)
        self.items("=~")  # text before the first marker fails here
        self.fail(self.line, "no_marker", text=_short(self.content))


def _parse_block(block: _Block, category: str | None) -> GiftQuestion | str | None:
    """Parse one block into a question, a new category name (str), or None for comments only."""
    body = block.body
    i, end = len(body) - len(body.lstrip()), len(body.rstrip())
    if i >= end:
        if any(_comment_meta(block.comments)):
            raise _Fail(block.start, "orphan_comment")
        return None
    qline = block.line(i)
    if body.startswith("$CATEGORY:", i):
        name = body[i + len("$CATEGORY:"):end].strip()
        if "\n" in name:
            raise _Fail(qline, "category_block")
        if not name:
            raise _Fail(qline, "empty_category")
        return name
    title = None
    if body.startswith("::", i):
        close = _scan(body, "::", i + 2, end)
        if not close:
            raise _Fail(qline, "unclosed_title")
        title = _unescape(body[i + 2:close[0][0]]).strip() or None
        i = close[0][0] + 2
    braces = _scan(body, "[{}]", i, end)
    if not braces:
        raise _Fail(qline, "description")
    (a, first), rest = braces[0], braces[1:]
    if first == "}":
        raise _Fail(block.line(a), "stray_brace")
    if not rest:
        raise _Fail(block.line(a), "unclosed_brace")
    if rest[0][1] == "{":
        raise _Fail(block.line(rest[0][0]), "nested_brace")
    b = rest[0][0]
    if len(rest) > 1:
        raise _Fail(block.line(rest[1][0]), "extra_block")

    after = body[b + 1:end]
    missing_word = bool(after.strip())
    source = (body[i:a] + BLANK + after) if missing_word else body[i:a]
    source = source.strip()
    fmt = _FORMAT.match(source)
    text = _unescape(source[fmt.end():] if fmt else source).strip()
    if not text:
        raise _Fail(qline, "empty_text")

    ans_start, ans_end = a + 1, b
    general = _scan(body, "####", ans_start, ans_end)
    general_feedback = None
    if general:
        ans_end = general[-1][0]
        general_feedback = _unescape(body[ans_end + 4:b]).strip() or None
    qtype, answers = _AnswerBlock(block, ans_start, ans_end, qline).read()
    idnumber, tags = _comment_meta(block.comments)
    return GiftQuestion(qtype, title, text, fmt.group(1) if fmt else "moodle", tuple(answers),
                        general_feedback, category, tags, idnumber, qline, missing_word)


def _blocks(text: str) -> list[_Block]:
    """Split text into blank-line separated blocks of trimmed lines."""
    blocks: list[_Block] = []
    current: list[str] = []
    start = 1
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(_Block(start, current))
            current = []
    if current:
        blocks.append(_Block(start, current))
    return blocks


def parse_gift(text: str, filename: str = "<gift>") -> GiftResult:
    """Parse GIFT text into questions and errors; never raise."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    questions: list[GiftQuestion] = []
    errors: list[GiftError] = []
    category: str | None = None
    seen_titles: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for block in _blocks(text):
        try:
            parsed = _parse_block(block, category)
        except _Fail as fail:
            errors.append(make_error(filename, fail.line, fail.code, **fail.params))
            continue
        except Exception as exc:  # safety net: one odd question must not sink the file
            errors.append(make_error(filename, block.start, "internal", reason=repr(exc)))
            continue
        if isinstance(parsed, str):
            category = parsed
        elif parsed is not None:
            if parsed.title is not None and parsed.title in seen_titles:
                errors.append(make_error(filename, parsed.line, "duplicate_title",
                                         title=parsed.title, first=seen_titles[parsed.title]))
            elif parsed.idnumber is not None and parsed.idnumber in seen_ids:
                errors.append(make_error(filename, parsed.line, "duplicate_id",
                                         idnumber=parsed.idnumber, first=seen_ids[parsed.idnumber]))
            else:
                questions.append(parsed)
                if parsed.title is not None:
                    seen_titles[parsed.title] = parsed.line
                if parsed.idnumber is not None:
                    seen_ids[parsed.idnumber] = parsed.line
    return GiftResult(tuple(questions), tuple(errors))


def parse_gift_file(path: str | os.PathLike[str]) -> GiftResult:
    """Read a UTF-8 GIFT file (BOM allowed) and parse it; unreadable files become errors."""
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return GiftResult((), (make_error(name, 0, "unreadable", reason=reason),))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return GiftResult((), (make_error(name, line, "encoding"),))
    return parse_gift(text, name)
