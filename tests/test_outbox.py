"""The server side of the one outbox (app/outbox.py): reading a device's batch, its clock, and storing each write
exactly once, each in a savepoint."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, func, insert, select

from app import outbox
from app.errors import DomainError
from app.extensions import db

NOW = dt.datetime(2026, 12, 4, 3, 0, tzinfo=dt.UTC)

# A feature's table as the outbox expects one: what was written, under the item's client id (unique).
probe_metadata = MetaData()
probe = Table("outbox_probe", probe_metadata,
              Column("id", Integer, primary_key=True),
              Column("client_id", String(64), nullable=False, unique=True),
              Column("value", String(40), nullable=False),
              Column("device_time", DateTime(timezone=True)))


@pytest.fixture
def table(ctx: Flask) -> Iterator[Table]:
    db.session.remove()
    probe_metadata.create_all(db.engine)
    yield probe
    db.session.remove()
    probe_metadata.drop_all(db.engine)


def known(ids: list[str]) -> set[str]:
    return set(db.session.scalars(select(probe.c.client_id).where(probe.c.client_id.in_(ids))))


def handle(item: outbox.Item) -> None:
    """Write the item's value; refuse "bad" after writing (the savepoint must undo the row)."""
    db.session.execute(insert(probe).values(client_id=item.client_id, value=str(item.fields.get("value")),
                                            device_time=item.device_time))
    if item.fields.get("value") == "bad":
        raise DomainError("Giá trị này không được nhận.")


def rows() -> list[tuple[str, str]]:
    return sorted(db.session.execute(select(probe.c.client_id, probe.c.value)).all())


def item(client_id: str, value: str = "ok", **extra: Any) -> dict[str, Any]:
    return {"client_id": client_id, "device_time": "2026-12-04T09:55:00+07:00", "value": value, **extra}


# --- read_batch -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", [None, [], "items", 7, {}, {"items": None}, {"items": "all"},
                                     {"items": {"client_id": "abcdefgh"}}, {"items": [], "device": 7},
                                     {"items": [], "device": None}, {"marks": []}])
def test_a_payload_that_is_not_a_batch_is_refused_as_a_whole(payload: object) -> None:
    with pytest.raises(DomainError) as refused:
        outbox.read_batch(payload)
    assert "không đọc được" in str(refused.value.message)


@pytest.mark.parametrize("bad", ["junk", 7, None, [], {"value": "ok"}, {"client_id": 12345678},
                                 {"client_id": "short"}, {"client_id": "x" * 65}, {"client_id": "has space1"},
                                 {"client_id": "emoji-✓-1234"}, {"client_id": "slash/1234"}, {"client_id": ""},
                                 {"client_id": ["abcdefgh"]}])
def test_an_item_without_a_readable_client_id_refuses_the_batch_naming_it(bad: object) -> None:
    with pytest.raises(DomainError) as refused:
        outbox.read_batch({"items": [item("good-0001"), bad]})
    assert "Mục thứ 2" in str(refused.value.message)


def test_a_batch_over_the_limit_is_refused() -> None:
    items = [item(f"item-{n:05d}") for n in range(4)]
    with pytest.raises(DomainError) as refused:
        outbox.read_batch({"items": items}, max_items=3)
    assert "tối đa 3" in str(refused.value.message)
    assert len(outbox.read_batch({"items": items}, max_items=4)[0]) == 4
    assert len(outbox.read_batch({"items": [item("x-00000001")] * outbox.MAX_BATCH})[0]) == outbox.MAX_BATCH
    with pytest.raises(DomainError):
        outbox.read_batch({"items": [item("x-00000001")] * (outbox.MAX_BATCH + 1)})


def test_a_batch_is_read_into_items_with_the_features_own_fields() -> None:
    items, device = outbox.read_batch({"device": "tablet-" + "9" * 60, "items": [
        item("a1b2c3d4-0000-4000-8000-000000000000", "one", waited=True),
        {"client_id": "web-0123456789abcdef", "value": "two"}]})
    assert device == ("tablet-" + "9" * 60)[:40]
    assert items[0] == outbox.Item("a1b2c3d4-0000-4000-8000-000000000000",
                                   dt.datetime(2026, 12, 4, 2, 55, tzinfo=dt.UTC), {"value": "one", "waited": True})
    assert items[1] == outbox.Item("web-0123456789abcdef", None, {"value": "two"})
    assert outbox.read_batch({"items": []}) == ([], "")


# --- the device's clock ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("sent", "read"), [
    ("2026-12-04T10:00:00+07:00", dt.datetime(2026, 12, 4, 3, 0, tzinfo=dt.UTC)),
    ("2026-12-04T03:00:00Z", dt.datetime(2026, 12, 4, 3, 0, tzinfo=dt.UTC)),
    ("2026-12-04T03:00:00.123Z", dt.datetime(2026, 12, 4, 3, 0, 0, 123000, tzinfo=dt.UTC)),
    ("1970-01-01T00:00:00Z", dt.datetime(1970, 1, 1, tzinfo=dt.UTC)),  # the first year read
    ("2199-12-31T23:59:59Z", dt.datetime(2199, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),  # the last year read
    ("1969-12-31T23:59:59Z", None), ("1970-01-01T06:00:00+07:00", None),  # 1969 in UTC
    ("2200-01-01T00:00:00Z", None), ("9999-12-31T23:59:59-05:00", None), ("0001-01-01T00:00:00+05:00", None),
    ("2026-12-04T10:00:00", None),  # no offset: whose clock?
    ("yesterday", None), ("", None), (None, None), (1700000000, None), (["2026-12-04T03:00:00Z"], None),
    ({"at": "now"}, None), ("2026-02-30T00:00:00Z", None),
])
def test_a_device_time_is_read_in_utc_or_counts_as_none(sent: object, read: dt.datetime | None) -> None:
    assert outbox.device_time(sent) == read


@pytest.mark.parametrize(("device", "used"), [
    (None, NOW),
    (NOW, NOW),
    (NOW - dt.timedelta(days=29, hours=23), NOW - dt.timedelta(days=29, hours=23)),  # waited a month offline
    (NOW - outbox.QUEUE_AGE, NOW - outbox.QUEUE_AGE),
    (NOW - outbox.QUEUE_AGE - dt.timedelta(seconds=1), NOW),  # a clock reset to long ago
    (NOW + outbox.CLOCK_AHEAD, NOW + outbox.CLOCK_AHEAD),
    (NOW + outbox.CLOCK_AHEAD + dt.timedelta(seconds=1), NOW),  # a clock running ahead
    (dt.datetime(1970, 1, 1, tzinfo=dt.UTC), NOW),
])
def test_a_device_time_is_used_only_within_plausible_bounds_of_the_servers(device, used) -> None:
    assert outbox.effective_time(device, NOW) == used


# --- store and receive ----------------------------------------------------------------------------------

def test_a_batch_sent_twice_stores_each_item_once(table: Table) -> None:
    batch = {"device": "tablet-1", "items": [item("item-00001", "a"), item("item-00002", "b")]}
    first, status = outbox.receive(batch, known=known, handle=handle)
    assert status == 200 and first["stored"] == ["item-00001", "item-00002"] and first["failed"] == []
    assert "server_time" in first
    calls: list[str] = []
    again, status = outbox.receive(batch, known=known, handle=lambda i: calls.append(i.client_id))
    assert status == 200 and again["stored"] == first["stored"] and calls == []  # replayed: nothing written
    assert rows() == [("item-00001", "a"), ("item-00002", "b")]


def test_an_item_repeated_within_one_batch_is_written_once(table: Table) -> None:
    items, _device = outbox.read_batch({"items": [item("item-00001", "a"), item("item-00001", "a")]})
    outcome = outbox.store(items, known=known, handle=handle)
    db.session.commit()
    assert outcome.stored == ["item-00001", "item-00001"] and rows() == [("item-00001", "a")]


def test_a_refused_item_leaves_nothing_half_written_and_the_others_are_stored(table: Table) -> None:
    batch = {"items": [item("item-00001", "a"), item("item-00002", "bad"), item("item-00003", "c")]}
    answer, status = outbox.receive(batch, known=known, handle=handle)
    assert status == 200
    assert answer["stored"] == ["item-00001", "item-00003"]
    assert answer["failed"] == [{"client_id": "item-00002", "message": "Giá trị này không được nhận."}]
    db.session.remove()  # what was committed, seen afresh
    assert rows() == [("item-00001", "a"), ("item-00003", "c")]  # the refused item's row was rolled back


def test_a_batch_whose_every_item_is_refused_is_a_422_with_the_reason(table: Table) -> None:
    answer, status = outbox.receive({"items": [item("item-00002", "bad")]}, known=known, handle=handle)
    assert status == 422 and answer["message"] == "Giá trị này không được nhận."
    assert answer["stored"] == [] and [f["client_id"] for f in answer["failed"]] == ["item-00002"]
    assert rows() == []


def test_a_malformed_batch_is_a_400_and_nothing_is_written(table: Table) -> None:
    answer, status = outbox.receive({"items": [item("item-00001"), {"client_id": "bad"}]}, known=known,
                                    handle=handle)
    assert status == 400 and "Mục thứ 2" in answer["message"] and rows() == []


def test_a_copy_of_the_batch_that_landed_meanwhile_is_answered_as_stored(table: Table) -> None:
    # Two copies of one batch race: this one checked before the other committed, then hits the unique key.
    db.session.execute(insert(probe).values(client_id="item-00001", value="a"))
    db.session.commit()
    checks: list[int] = []

    def late_known(ids: list[str]) -> set[str]:
        checks.append(1)
        return set() if len(checks) == 1 else known(ids)

    answer, status = outbox.receive({"items": [item("item-00001", "a"), item("item-00002", "b")]},
                                    known=late_known, handle=handle)
    assert status == 200 and answer["stored"] == ["item-00001", "item-00002"] and len(checks) == 2
    assert rows() == [("item-00001", "a"), ("item-00002", "b")]
    assert db.session.scalar(select(func.count()).select_from(probe)) == 2


def test_the_device_time_reaches_the_feature(table: Table) -> None:
    outbox.receive({"items": [item("item-00001")]}, known=known, handle=handle)
    stored = db.session.scalar(select(probe.c.device_time))
    assert stored.replace(tzinfo=dt.UTC) == dt.datetime(2026, 12, 4, 2, 55, tzinfo=dt.UTC)


def test_a_new_client_id_for_a_form_posted_online_is_readable_by_the_outbox() -> None:
    made = {outbox.new_client_id("web") for _ in range(50)}
    assert len(made) == 50 and all(outbox.CLIENT_ID.match(c) and c.startswith("web-") for c in made)
