"""Roll-call sync under load: many concurrent batches to gunicorn (2 sync workers) on PostgreSQL.

Every class has a session under way and 40 learners. Two devices mark each class, as on a real morning: the
instructor's tablet sends "everyone present" then the exceptions; the assistant's phone marks a dozen of the
same learners with its own statuses and times. A quarter of all batches are sent again (a retry after a lost
answer), some of them at the same moment as the first copy. All batches of all classes are shuffled and sent
from a pool of threads. Prints marks/s and batch latency p50/p95/p99, then checks the database: every mark
exactly once in the history (lost and doubled must be 0) and, for every learner, the current mark is the one
with the latest device time (wrong winners must be 0).
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from sqlalchemy import create_engine, text

from app.config import normalise_database_url
from bench.common import bench_database, gunicorn, machine, sign_in

OFFICER, YOUTH, STAFF_SECRET = "0900000002", "0900000005", "hocvuso2026"
STATUSES = ("present", "late", "absent", "excused")


def make_classes(env: dict[str, str], count: int, size: int) -> list[tuple[int, list[int]]]:
    """Create `count` classes, each at its own venue with a session under way now and `size` learners."""
    from app import create_app
    from app.classes import enrolment, services, sessions
    from app.extensions import db
    from app.people.models import Person
    from app.places import services as places
    from app.places.models import Commune
    from app.vietnam import VIETNAM

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"],
                      "DATA_ENCRYPTION_KEY": env["DATA_ENCRYPTION_KEY"], "RATELIMIT_ENABLED": False})
    made = []
    with app.test_request_context():
        commune = db.session.scalars(db.select(Commune)).first()
        people = list(db.session.scalars(db.select(Person).where(Person.commune_id == commune.id,
                                                                 Person.phone.is_(None)).limit(count * size)))
        now = dt.datetime.now(VIETNAM).replace(second=0, microsecond=0, tzinfo=None)
        start = max(now - dt.timedelta(minutes=30), dt.datetime.combine(now.date(), dt.time()))
        end = min(start + dt.timedelta(hours=2), dt.datetime.combine(now.date(), dt.time(23, 59)))
        for index in range(count):
            venue = places.save_venue(commune, values={"name": f"Điểm học thử {index + 1}", "capacity": size + 10,
                                                       "tablets": 2, "active": True})
            klass = services.create_class(commune, title=f"Lớp thử điểm danh {index + 1}", audience="general",
                                          venue=venue, capacity=size, starts_on=now.date(),
                                          ends_on=now.date() + dt.timedelta(days=30), modules=[])
            session = sessions.add_session(klass, on=now.date(), start=start.time(), end=end.time(), venue=venue)
            rows = [enrolment.enrol(klass, p, source="staff") for p in people[index * size:(index + 1) * size]]
            made.append((session.id, [r.id for r in rows]))
        db.session.commit()
        db.engine.dispose()
    return made


def plan(sessions: list[tuple[int, list[int]]], rng: random.Random, resend_share: float) -> list[dict[str, Any]]:
    """Every batch both devices send, shuffled, with deliberate re-sends."""
    t0 = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
    batches: list[dict[str, Any]] = []

    def mark(enrolment_id: int, status: str, when: dt.datetime, source: str) -> dict[str, Any]:
        return {"client_id": f"b-{uuid.uuid4().hex}", "enrolment_id": enrolment_id, "status": status,
                "device_time": when.isoformat(), "source": source}

    for session_id, learners in sessions:
        # The instructor's tablet: everyone present (even milliseconds), then exceptions one or two at a time.
        everyone = [mark(e, "present", t0, "everyone") for e in learners]
        tablet = [everyone[:20], everyone[20:]]
        exceptions = rng.sample(learners, 8)
        for i in range(0, 8, 2):
            tablet.append([mark(e, rng.choice(STATUSES[1:]),
                                t0 + dt.timedelta(seconds=60 * (i + j + 1), milliseconds=2), "tap")
                           for j, e in enumerate(exceptions[i:i + 2])])
        # The assistant's phone: a dozen of the same learners (odd milliseconds: no ties with the tablet).
        mine = rng.sample(exceptions, 4)
        overlap = mine + rng.sample([e for e in learners if e not in mine], 8)  # each learner once per device
        phone = [[mark(e, rng.choice(STATUSES), t0 + dt.timedelta(seconds=rng.randint(1, 600), milliseconds=1), "tap")
                  for e in overlap[i:i + 3]] for i in range(0, len(overlap), 3)]
        for device, group in (("tablet", tablet), ("phone", phone)):
            for body in group:
                batches.append({"session_id": session_id, "device": device, "marks": body})
    resends = [dict(b) for b in batches if rng.random() < resend_share]
    rng.shuffle(batches)
    for copy in resends:  # half right next to the first copy (in flight together), half later on
        at = batches.index(next(b for b in batches if b["marks"] is copy["marks"]))
        batches.insert(at + 1 if rng.random() < 0.5 else rng.randint(at + 1, len(batches)), copy)
    return batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--classes", type=int, default=30)
    parser.add_argument("--learners", type=int, default=40, help="per class")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--resend", type=float, default=0.25, help="share of batches sent twice")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    rng = random.Random(757)
    with bench_database("hvs_bench_attendance", learners=args.classes * args.learners) as env:
        sessions = make_classes(env, args.classes, args.learners)
        batches = plan(sessions, rng, args.resend)
        with gunicorn(env) as base:
            devices: dict[str, tuple[dict[str, str], str]] = {}
            for device, phone in (("tablet", OFFICER), ("phone", YOUTH)):
                signed = sign_in(base, phone, STAFF_SECRET)
                page = signed.get(f"{base}/attendance/sessions/{sessions[0][0]}").text
                token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
                devices[device] = (requests.utils.dict_from_cookiejar(signed.cookies), token)
            local = threading.local()
            latencies: list[float] = []
            problems: list[str] = []
            lock = threading.Lock()

            def send(batch: dict[str, Any]) -> None:
                if not hasattr(local, "sessions"):
                    local.sessions = {}
                    for device, (cookies, _token) in devices.items():
                        local.sessions[device] = requests.Session()
                        local.sessions[device].cookies.update(cookies)
                cookies, token = devices[batch["device"]]
                started = time.perf_counter()
                reply = local.sessions[batch["device"]].post(
                    f"{base}/attendance/sessions/{batch['session_id']}/marks.json",
                    json={"device": batch["device"], "items": batch["marks"]},
                    headers={"X-CSRFToken": token}, timeout=60)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    sent = [m["client_id"] for m in batch["marks"]]
                    if reply.status_code != 200:
                        problems.append(f"HTTP {reply.status_code}: {reply.text[:200]}")
                    elif sorted(reply.json()["stored"]) != sorted(sent) or reply.json()["failed"]:
                        problems.append(f"not all stored: {reply.text[:200]}")

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                list(pool.map(send, batches))
            elapsed = time.perf_counter() - started
        engine = create_engine(normalise_database_url(env["DATABASE_URL"]))
        ids = {"ids": [s for s, _l in sessions]}
        with engine.connect() as conn:  # only the benchmark's sessions: the demo has marks of its own
            history = conn.execute(text("SELECT client_id FROM attendance_changes WHERE session_id = ANY(:ids)"),
                                   ids).scalars().all()
            current = {(s, e): st for s, e, st in conn.execute(text(
                "SELECT session_id, enrolment_id, status FROM attendance_marks WHERE session_id = ANY(:ids)"), ids)}
        engine.dispose()
    sent_ids = {m["client_id"] for b in batches for m in b["marks"]}
    marks_sent = sum(len(b["marks"]) for b in batches)
    latest: dict[tuple[int, int], tuple[dt.datetime, str]] = {}
    for b in batches:
        for m in b["marks"]:
            key = (b["session_id"], m["enrolment_id"])
            when = dt.datetime.fromisoformat(m["device_time"])
            if key not in latest or when > latest[key][0]:
                latest[key] = (when, m["status"])
    lost = len(sent_ids - set(history))
    doubled = (len(history) - len(set(history))) + len(set(history) - sent_ids)
    wrong = sum(1 for key, (_t, status) in latest.items() if current.get(key) != status)
    extra = len(set(current) - set(latest))
    cuts = statistics.quantiles(latencies, n=100)
    print(f"gunicorn 2 sync workers, PostgreSQL; {args.classes} sessions x {args.learners} learners, two devices each, "
          f"{args.concurrency} batches in flight")
    print(f"batches: {len(batches)} ({len(batches) - len({id(b['marks']) for b in batches})} deliberate re-sends), "
          f"{marks_sent} marks sent ({len(sent_ids)} distinct) in {elapsed:.1f} s")
    print(f"throughput: {marks_sent / elapsed:.0f} marks/s ({len(sent_ids) / elapsed:.0f} distinct marks/s), "
          f"{len(batches) / elapsed:.0f} batches/s")
    print(f"batch latency p50 {cuts[49]:.1f} ms   p95 {cuts[94]:.1f} ms   p99 {cuts[98]:.1f} ms   "
          f"max {max(latencies):.1f} ms")
    print(f"lost marks: {lost}   doubled marks: {doubled}   wrong winners: {wrong + extra}   "
          f"failed requests: {len(problems)}   (all must be 0)")
    for problem in problems[:5]:
        print("  ", problem)


if __name__ == "__main__":
    main()
