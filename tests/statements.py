"""Count the SQL statements a block of code runs (for the tests that pin a page's or a service's query count)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from app.extensions import db


@contextmanager
def counting() -> Iterator[list[str]]:
    """Collect the SQL statements run on the app's engine inside the block."""
    ran: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        ran.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        yield ran
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
