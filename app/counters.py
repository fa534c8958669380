"""Rate-limit counters kept in the app's own database, for deployments without Redis.

Flask-Limiter keeps its counters in one process's memory unless told otherwise, so with several
processes every limit is multiplied by their number. With `REDIS_URL` set the counters live in Redis;
without it they live here (`RATELIMIT_STORAGE_URI=database://`), shared by every process that uses the
database. Each counter is one row updated by a single atomic statement (fixed windows).
"""
from __future__ import annotations

import random
import time
from typing import Any

from limits.storage import Storage
from sqlalchemy import Float, String, case, delete, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

# Now and then a counter's update also sweeps counters whose window ended an hour ago.
SWEEP_ONE_IN = 200


class RateLimitCounter(db.Model):
    """One rate limit's count for one client in the current window."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int]
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # epoch seconds: the window's end


class DatabaseStorage(Storage):
    """A `limits` storage on the app's database (scheme `database://`); needs an application context."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add to the key's count in its window, starting a new window when the last one has ended."""
        now = time.time()
        table = RateLimitCounter.__table__
        insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
        ended = table.c.expires_at <= now
        upsert = insert(table).values(key=key[:255], count=amount, expires_at=now + expiry)
        stmt = upsert.on_conflict_do_update(index_elements=[table.c.key], set_={
            "count": case((ended, amount), else_=table.c.count + amount),
            "expires_at": case((ended, now + expiry), else_=table.c.expires_at),
        }).returning(table.c.count)
        # Its own short transaction, committed at once: the request's work must not hold it back.
        with db.engine.begin() as conn:
            count = conn.execute(stmt).scalar_one()
            if random.randrange(SWEEP_ONE_IN) == 0:
                conn.execute(delete(table).where(table.c.expires_at < now - 3600))
        return int(count)

    def get(self, key: str) -> int:
        """Return the key's count in its current window (0 when none)."""
        table = RateLimitCounter.__table__
        with db.engine.connect() as conn:
            count = conn.scalar(select(table.c.count).where(table.c.key == key[:255],
                                                            table.c.expires_at > time.time()))
        return int(count or 0)

    def get_expiry(self, key: str) -> float:
        """Return when the key's window ends (now when it has none)."""
        table = RateLimitCounter.__table__
        with db.engine.connect() as conn:
            expires = conn.scalar(select(table.c.expires_at).where(table.c.key == key[:255]))
        return float(expires) if expires is not None else time.time()

    def check(self) -> bool:
        """Tell whether the database answers."""
        try:
            with db.engine.connect() as conn:
                conn.scalar(select(literal(1)))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter."""
        with db.engine.begin() as conn:
            return conn.execute(delete(RateLimitCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        """Forget one counter."""
        with db.engine.begin() as conn:
            conn.execute(delete(RateLimitCounter.__table__).where(RateLimitCounter.__table__.c.key == key[:255]))
