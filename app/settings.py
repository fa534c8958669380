"""Per-commune settings: a feature's frozen dataclass of defaults, the rows holding communes' own values, and one
way to read, check and save them.

A feature declares its settings as a frozen dataclass whose fields give their default and what a good value is
(`number`, `flag`, `choice`, `text`), and a model with one column per field plus the columns that say whose values
a row holds: its scope, such as `commune_id` (and `module_id`). A NULL scope column, where the model allows it,
means "any": a row with no commune is the system's default. Reading takes, in one query, the most specific row
that applies (naming the commune beats leaving it open, then the next scope column likewise) and returns the
dataclass with that row's values, or the defaults when none applies. Within a request the answer is kept on
`flask.g`, so a page that asks twice queries once.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from flask import g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, event, func, or_, select
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.extensions import db

T = TypeVar("T")
INVALID = _l("Giá trị không hợp lệ.")


@dataclasses.dataclass(frozen=True)
class Number:
    """A whole number from `low` to `high`; None too when `optional`."""

    low: int
    high: int
    optional: bool = False
    message: Any = None  # shown instead of "from low to high"

    def clean(self, value: Any) -> Any:
        if value is None and self.optional:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high:
            return value
        raise ValueError(self.message or _l("Giá trị phải từ %(low)s đến %(high)s.", low=self.low, high=self.high))


@dataclasses.dataclass(frozen=True)
class Flag:
    """Yes or no."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        raise ValueError(INVALID)


@dataclasses.dataclass(frozen=True)
class Choice:
    """One of a few codes."""

    options: tuple[str, ...]
    message: Any = None

    def clean(self, value: Any) -> Any:
        if value in self.options:
            return value
        raise ValueError(self.message or INVALID)


@dataclasses.dataclass(frozen=True)
class Text:
    """A line of text: spaces tidied, cut to `max_length` (the column's size); empty when not given."""

    max_length: int

    def clean(self, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, str):
            return " ".join(value.split())[: self.max_length]
        raise ValueError(INVALID)


def number(default: int | None, low: int, high: int, *, optional: bool = False, message: Any = None) -> Any:
    """A whole-number setting from `low` to `high` (or None when `optional`)."""
    return dataclasses.field(default=default, metadata={"check": Number(low, high, optional, message)})


def flag(default: bool) -> Any:
    """A yes-or-no setting."""
    return dataclasses.field(default=default, metadata={"check": Flag()})


def choice(default: str, options: Iterable[str], *, message: Any = None) -> Any:
    """A setting that is one of a few codes."""
    return dataclasses.field(default=default, metadata={"check": Choice(tuple(options), message)})


def text(default: str, max_length: int) -> Any:
    """A one-line text setting of at most `max_length` characters."""
    return dataclasses.field(default=default, metadata={"check": Text(max_length)})


def limits(values: type[Any], name: str) -> tuple[int, int]:
    """Return the lowest and highest value a number setting accepts (for its form field)."""
    check = next(f for f in dataclasses.fields(values) if f.name == name).metadata["check"]
    return check.low, check.high


def as_dict(values: Any) -> dict[str, Any]:
    """Return settings as a plain dict (to keep a copy in a JSON column, as an attempt does)."""
    return dataclasses.asdict(values)


class Settings(Generic[T]):
    """One feature's per-commune settings: `values` is the frozen dataclass, `model` holds the rows, `scope` names
    the columns that say whose values a row holds, most significant first."""

    def __init__(self, values: type[T], model: type[Any], scope: tuple[str, ...] = ("commune_id",)) -> None:
        self.values, self.model, self.scope = values, model, scope
        self.fields = dataclasses.fields(values)  # type: ignore[arg-type]
        self.names = tuple(f.name for f in self.fields)
        self.defaults: T = values()
        columns = model.__table__.c
        self._nullable = {name: columns[name].nullable for name in scope}

    # Reading
    def get(self, **scope: Any) -> T:
        """Return the settings in force for this scope (`commune_id=...`; an unnamed scope column is None)."""
        return self.many([scope])[self._key(scope)]

    def many(self, scopes: Iterable[Mapping[str, Any]]) -> dict[Any, T]:
        """Return the settings in force for each scope, in one query, keyed by the scope's value (a tuple of them
        when the scope has more than one column)."""
        keys = {self._key(s) for s in scopes}
        memo = _memo()
        for key in keys:  # no row can name no commune where the column may not be empty
            if (self, key) not in memo and not self._possible(key):
                memo[(self, key)] = self.defaults
        wanted = [k for k in keys if (self, k) not in memo]
        if wanted:
            rows = db.session.scalars(select(self.model).where(self._applies_to_any(wanted))).all()
            for key in wanted:
                memo[(self, key)] = self._of(self._best(rows, key))
        return {key: memo[(self, key)] for key in keys}

    def in_force(self, name: str, **scope: Any) -> ColumnElement[Any]:
        """An SQL expression for one setting in force, each scope given as a value or a column (such as
        Class.commune_id), to load with other rows instead of a query of its own. For settings that are never
        NULL in a row (a NULL would read as the default)."""
        specific = [getattr(self.model, column).is_(None) for column in self.scope if self._nullable[column]]
        own = select(getattr(self.model, name)).where(self._applies(scope)).order_by(*specific).limit(1)
        return func.coalesce(own.scalar_subquery(), getattr(self.defaults, name))

    # Saving
    def save(self, changes: Mapping[str, Any], *, actor: Any = None, **scope: Any) -> Any:
        """Check the changed values over those in force and store them as this scope's own; return the row.

        Every value is checked before anything is written: a bad one raises DomainError (a Vietnamese message, the
        field's name) and changes nothing. Flushes; the caller commits.
        """
        unknown = set(changes) - set(self.names)
        if unknown:
            raise TypeError(f"not settings of {self.values.__name__}: {sorted(unknown)}")
        key = self._key(scope)
        rows = db.session.scalars(select(self.model).where(self._applies_to_any([key]))).all()
        merged = {**dataclasses.asdict(self._of(self._best(rows, key))), **changes}  # type: ignore[call-overload]
        clean = {}
        for item in self.fields:
            try:
                clean[item.name] = item.metadata["check"].clean(merged[item.name])
            except ValueError as error:
                raise DomainError(error.args[0], field=item.name) from None
        row = next((r for r in rows if self._scope_of(r) == self._scope_of_key(key)), None)
        if row is None:
            row = self.model(**dict(zip(self.scope, self._scope_of_key(key), strict=True)))
            db.session.add(row)
        for name, value in clean.items():
            setattr(row, name, value)
        row.updated_by_id = actor.id if actor is not None else None
        db.session.flush()
        forget()
        return row

    # Helpers
    def _key(self, scope: Mapping[str, Any]) -> Any:
        unknown = set(scope) - set(self.scope)
        if unknown:
            raise TypeError(f"not scope columns of {self.model.__name__}: {sorted(unknown)}")
        values = tuple(scope.get(column) for column in self.scope)
        return values[0] if len(values) == 1 else values

    def _scope_of_key(self, key: Any) -> tuple[Any, ...]:
        return key if len(self.scope) > 1 else (key,)

    def _scope_of(self, row: Any) -> tuple[Any, ...]:
        return tuple(getattr(row, column) for column in self.scope)

    def _applies(self, scope: Mapping[str, Any]) -> ColumnElement[bool]:
        """Rows that apply to one scope whose values may be SQL expressions."""
        tests = []
        for column in self.scope:
            col, value = getattr(self.model, column), scope.get(column)
            match = col.is_(None) if value is None else col == value
            tests.append(or_(col.is_(None), match) if self._nullable[column] and value is not None else match)
        return and_(*tests)

    def _applies_to_any(self, keys: list[Any]) -> ColumnElement[bool]:
        """Rows that apply to at least one of these scopes (all those a pick among them may need)."""
        tests = []
        for i, column in enumerate(self.scope):
            col = getattr(self.model, column)
            wanted = sorted({v for v in (self._scope_of_key(k)[i] for k in keys) if v is not None})
            found = [col.in_(wanted)] if wanted else []
            if self._nullable[column] or any(self._scope_of_key(k)[i] is None for k in keys):
                found.append(col.is_(None))
            tests.append(or_(*found))
        return and_(*tests)

    def _possible(self, key: Any) -> bool:
        return all(v is not None or self._nullable[c] for c, v in zip(self.scope, self._scope_of_key(key), strict=True))

    def _best(self, rows: Iterable[Any], key: Any) -> Any:
        """The most specific of the rows that apply to this scope, or None."""
        wanted = self._scope_of_key(key)
        fits = [r for r in rows
                if all(v is None or v == w for v, w in zip(self._scope_of(r), wanted, strict=True))]
        return max(fits, key=lambda r: tuple(v is not None for v in self._scope_of(r)), default=None)

    def _of(self, row: Any) -> T:
        if row is None:
            return self.defaults
        return self.values(**{name: getattr(row, name) for name in self.names})


def forget() -> None:
    """Drop the settings this request has read, so the next read queries again (after a save or a rollback)."""
    if has_request_context():
        g.pop("_settings_memo", None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(_session: Any, _transaction: Any) -> None:
    forget()  # what was read may have been a change now undone


def _memo() -> dict[Any, Any]:
    """This request's settings already read (a fresh dict outside a request: nothing is kept)."""
    if not has_request_context():
        return {}
    held: tuple[Any, dict[Any, Any]] | None = g.get("_settings_memo")
    if held is None or held[0] is not request.environ:  # a test's requests may share one application context
        held = g._settings_memo = (request.environ, {})
    return held[1]
