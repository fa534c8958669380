"""Kinds of import (people, enrolments, …) as a registry: each kind brings its columns and rules."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask_babel.speaklater import LazyString

from app.imports.tabular import Column, Row

if TYPE_CHECKING:
    from app.people.models import Person
    from app.places.models import Commune


@dataclass(frozen=True)
class RowIssue:
    """A problem with one row, named by its row number."""

    row: int
    message: str


@dataclass
class Preview:
    """What applying a file would do: rows ready, rows already present, and every problem."""

    total: int = 0
    ready: int = 0
    existing: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues and self.total > 0

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "ready": self.ready, "existing": self.existing,
                "issues": [{"row": i.row, "message": i.message} for i in self.issues], "sample": self.sample}


@dataclass(frozen=True)
class ImportKind:
    """One kind of import: who may run it, which columns, how to check rows and how to apply them."""

    code: str
    label: LazyString
    action: str
    columns: Sequence[Column]
    check: Callable[[Commune, list[Row], Any], Preview]
    apply: Callable[[Commune, list[Row], Any, Person | None], dict[str, int]]
    done_url: Callable[[Commune, Any], str]  # where to go afterwards
    example: Sequence[Sequence[str]] = ()
    load_target: Callable[[int], Any] | None = None  # e.g. the class an enrolment file is for


KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    """Add an import kind."""
    KINDS[kind.code] = kind
