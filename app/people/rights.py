"""A person's rights over their data, across features: each feature that keeps something about a person
adds it to the right-of-access export, and scrubs what identifies them when they ask to be erased.

Features register at import time (as dashboard panels do), so `people` never imports them:

    @rights.data_section("attempts")
    def _attempts(person: Person) -> list[dict[str, Any]]: ...

    @rights.on_erasure
    def _forget_notes(person: Person, actor: Person | None) -> None: ...
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.text import clean_text

if TYPE_CHECKING:
    from app.people.models import Person

Section = Callable[["Person"], Any]
Eraser = Callable[["Person", "Person | None"], None]

SECTIONS: dict[str, Section] = {}
ERASERS: dict[str, Eraser] = {}


def iso(value: Any) -> str | None:
    """A date or time as the export writes it (ISO 8601), or None."""
    return value.isoformat() if value is not None else None


def data_section(name: str) -> Callable[[Section], Section]:
    """Register what a feature holds about a person under `name` in their data export."""
    def register(fn: Section) -> Section:
        SECTIONS[name] = fn
        return fn
    return register


def on_erasure(fn: Eraser) -> Eraser:
    """Register a step that removes what identifies a person when their data is erased.

    It runs inside the erasing transaction, before the person's own fields are cleared; it must only
    change rows and `flush()`, never commit.
    """
    ERASERS[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def sections(person: Person) -> dict[str, Any]:
    """Every registered feature's part of a person's data, by section name."""
    return {name: SECTIONS[name](person) for name in sorted(SECTIONS)}


def erase(person: Person, actor: Person | None) -> None:
    """Run every feature's erasure step for a person."""
    for name in sorted(ERASERS):
        ERASERS[name](person, actor)


def _name_key(text: str | None) -> str:
    return clean_text(text).casefold()  # NFC, invisible characters dropped, one space between words


def names_match(typed: str | None, full_name: str) -> bool:
    """Tell whether a name typed to confirm an erasure is the person's full name.

    The same letters with the same diacritics, in any case and spacing (so a decomposed "ệ" typed on
    another keyboard still matches); an empty or partial name never matches.
    """
    key = _name_key(typed)
    return bool(key) and key == _name_key(full_name)
