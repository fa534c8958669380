"""Writes a device made while offline and sends later: one shape for every feature that takes them.

The browser's outbox (`static/outbox.js`) posts batches as

    {"device": "<device id>", "items": [{"client_id": "<uuid>", "device_time": "<ISO 8601>", ...fields}]}

Each item carries its own client id, which the feature stores with what the item wrote, under a unique
constraint. An id the server has seen is answered "stored" again without writing, so a batch sent twice (the
answer was lost on a weak connection) stores each item once. The answer names every client id:

    {"stored": [ids], "failed": [{"client_id": id, "message": "why"}], "server_time": "<ISO 8601>"}

A refused item is final (the device drops it and shows the reason); only a network failure or a 5xx makes the
device send again. Each item is written in a savepoint, so a refused one leaves nothing half-written.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.errors import DomainError
from app.extensions import db, utcnow

CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
MAX_BATCH = 500
DEVICE_YEARS = (1970, 2200)  # a device time outside these years is unreadable, not merely wrong
CLOCK_AHEAD = dt.timedelta(minutes=5)
QUEUE_AGE = dt.timedelta(days=30)  # the longest a device's offline queue plausibly waits
RETRIES = 3


@dataclass(frozen=True)
class Item:
    """One write as a device sent it: its client id, the device's clock, and the feature's own fields."""

    client_id: str
    device_time: dt.datetime | None
    fields: dict[str, Any]


@dataclass
class Outcome:
    """What became of a batch: client ids now safely stored, and items refused with the reason."""

    stored: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)

    def answer(self) -> dict[str, Any]:
        """Return the JSON the device reads."""
        return {"stored": self.stored, "failed": self.failed, "server_time": utcnow().isoformat()}


def new_client_id(prefix: str = "srv") -> str:
    """Return a fresh client id for a write made on the server (a form posted online)."""
    return f"{prefix}-{uuid.uuid4().hex}"


def device_time(value: Any) -> dt.datetime | None:
    """Read a device's clock (ISO 8601 with an offset); an unreadable or absurd time counts as none."""
    if not isinstance(value, str):
        return None
    try:
        written = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        parsed = written.astimezone(dt.UTC) if written.tzinfo else None
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 moved into UTC
        return None
    return parsed if parsed and DEVICE_YEARS[0] <= parsed.year < DEVICE_YEARS[1] else None


def effective_time(device: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """Return when a write happened: the device's time, unless missing or implausibly far from the server's."""
    if device is None or device > now + CLOCK_AHEAD or device < now - QUEUE_AGE:
        return now
    return device


def read_batch(payload: Any, *, max_items: int = MAX_BATCH) -> tuple[list[Item], str]:
    """Read a device's batch, or raise DomainError naming what is wrong: a malformed batch stores nothing."""
    items = payload.get("items") if isinstance(payload, dict) else None
    device = payload.get("device", "") if isinstance(payload, dict) else ""
    if not isinstance(items, list) or not isinstance(device, str):
        raise DomainError(_("Dữ liệu gửi lên không đọc được; chưa có gì được lưu."))
    if len(items) > max_items:
        raise DomainError(_("Mỗi lần gửi được tối đa %(n)s mục.", n=max_items))
    read: list[Item] = []
    for number, item in enumerate(items, start=1):
        client_id = item.get("client_id") if isinstance(item, dict) else None
        if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
            raise DomainError(_("Mục thứ %(n)s trong gói gửi lên không hợp lệ; chưa có gì được lưu.", n=number))
        fields = {k: v for k, v in item.items() if k not in ("client_id", "device_time")}
        read.append(Item(client_id, device_time(item.get("device_time")), fields))
    return read, device[:40]


def store(items: Iterable[Item], *, known: Callable[[list[str]], set[str]],
          handle: Callable[[Item], None]) -> Outcome:
    """Write each item not seen before with `handle` (which raises DomainError to refuse it), each in a savepoint.

    `known` returns which of the given client ids are already stored.
    """
    items = list(items)
    outcome = Outcome()
    seen = known([item.client_id for item in items]) if items else set()
    for item in items:
        if item.client_id in seen:
            outcome.stored.append(item.client_id)
            continue
        seen.add(item.client_id)
        try:
            with db.session.begin_nested():
                handle(item)
        except DomainError as error:
            outcome.failed.append({"client_id": item.client_id, "message": str(error.message)})
        else:
            outcome.stored.append(item.client_id)
    return outcome


def receive(payload: Any, *, known: Callable[[list[str]], set[str]], handle: Callable[[Item], None],
            max_items: int = MAX_BATCH) -> tuple[dict[str, Any], int]:
    """Read, store and commit a device's batch; return the JSON answer and its HTTP status.

    Two copies of one batch racing on a client id (or a deadlock) roll back and run again: the second run finds
    the other copy's rows and answers them as stored. When every item was refused the status is 422, so no device
    takes the answer for a success.
    """
    try:
        items, _device = read_batch(payload, max_items=max_items)
    except DomainError as error:
        return {"error": 400, "message": str(error.message)}, 400
    for attempt in range(RETRIES):
        try:
            outcome = store(items, known=known, handle=handle)
            db.session.commit()
            break
        except (IntegrityError, DBAPIError) as error:
            db.session.rollback()
            if attempt == RETRIES - 1 or not retryable(error):
                raise
    answer = outcome.answer()
    if outcome.failed and not outcome.stored:
        return {"error": 422, "message": outcome.failed[0]["message"], **answer}, 422
    return answer, 200


def retryable(error: DBAPIError) -> bool:
    """Tell whether a failed write is worth running again: a duplicate key, a deadlock, a busy SQLite file."""
    if isinstance(error, IntegrityError):
        return True
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    return code in ("40001", "40P01") or "database is locked" in str(error)
