"""Answer saves under many concurrent learners: gunicorn (2 sync workers) on PostgreSQL.

Each simulated learner signs in, starts the NCT-06 assessment, and saves each answer the moment it is chosen
(as the quiz page does), re-sending some saves as a flaky network would. Prints saves/s and p50/p95/p99, then
counts lost or doubled answers in the database (both must be zero).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests
from sqlalchemy import create_engine, text

from app.config import normalise_database_url
from bench.common import bench_database, gunicorn, machine

PIN = "246810"


def make_learners(env: dict[str, str], count: int) -> list[str]:
    """Give `count` generated learners a phone and a PIN (one hash, copied) and return their phones."""
    from werkzeug.security import generate_password_hash

    engine = create_engine(normalise_database_url(env["DATABASE_URL"]))
    pin_hash = generate_password_hash(PIN)
    phones = []
    with engine.begin() as conn:
        ids = [row[0] for row in conn.execute(text(
            "SELECT id FROM people WHERE phone IS NULL ORDER BY id LIMIT :n"), {"n": count})]
        for index, person_id in enumerate(ids):
            phone = f"08{index:08d}"
            conn.execute(text("UPDATE people SET phone = :p WHERE id = :id"), {"p": phone, "id": person_id})
            conn.execute(text("INSERT INTO accounts (person_id, pin_hash, active, created_at) "
                              "VALUES (:id, :h, true, now())"), {"id": person_id, "h": pin_hash})
            phones.append(phone)
    engine.dispose()
    return phones


@dataclass
class Learner:
    """A signed-in simulated learner with an attempt open."""

    session: requests.Session
    attempt_id: int
    csrf: str
    questions: list[tuple[str, str]]
    device: str = field(default_factory=lambda: str(uuid.uuid4()))  # one tablet per learner


def sign_in_and_start(base: str, phone: str) -> Learner:
    """Sign in with the PIN and start the NCT-06 assessment, as the pages do."""
    session = requests.Session()
    page = session.get(base + "/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    session.post(base + "/login", data={"phone": phone, "secret": PIN, "csrf_token": token})
    quiz = session.get(base + "/catalog/modules/NCT-06/quiz").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', quiz)
    if not found:
        raise RuntimeError(f"{phone} could not open the quiz")
    attempt_page = session.post(base + "/catalog/modules/NCT-06/quiz/start", data={"csrf_token": found.group(1)})
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", attempt_page.url).group(1))
    meta = re.search(r'name="csrf-token" content="([^"]+)"', attempt_page.text).group(1)
    questions = re.findall(r'data-question-id="(\d+)"\s+data-type="(\w+)"', attempt_page.text)
    if not questions:
        raise RuntimeError("no questions found: the quiz page markup changed")
    return Learner(session, attempt_id, meta, questions)


def response(kind: str, keys: dict[str, list[str]]) -> Any:
    """An answer as the page sends it: the attempt's opaque option keys (any choice will do here)."""
    options, items = keys.get("options", []), keys.get("items", [])
    return {"multichoice": options[:1] and options[0], "truefalse": options[:1] and options[0],
            "multiresponse": options[:1], "shortanswer": "113",
            "matching": {items[0]: options[0]} if items and options else {}}[kind]


def option_keys(env: dict[str, str], attempt_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Read each attempt's option keys, as the learner's page would show them."""
    engine = create_engine(normalise_database_url(env["DATABASE_URL"]))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, option_keys FROM attempts WHERE id = ANY(:ids)"), {"ids": attempt_ids})
        found = {row[0]: (json.loads(row[1]) if isinstance(row[1], str) else row[1]) for row in rows}
    engine.dispose()
    return found


def answer_all(base: str, who: Learner, keys: dict[str, Any], duplicate_every: int, latencies: list[float],
               lock: threading.Lock) -> int:
    """Save each answer the moment it is chosen, re-sending some as a flaky network would."""
    url = f"{base}/quiz/attempts/{who.attempt_id}/answers.json"
    for index, (question_id, kind) in enumerate(who.questions):
        body = {"device": who.device, "items": [{"client_id": str(uuid.uuid4()), "question_id": int(question_id),
                                                 "response": response(kind, keys.get(question_id, {})),
                                                 "device_time": time.strftime("%Y-%m-%dT%H:%M:%SZ")}]}
        for _ in range(2 if duplicate_every and index % duplicate_every == 0 else 1):
            started = time.perf_counter()
            reply = who.session.post(url, json=body, headers={"X-CSRFToken": who.csrf})
            elapsed = (time.perf_counter() - started) * 1000
            if reply.status_code != 200 or reply.json()["stored"] != [body["items"][0]["client_id"]]:
                raise RuntimeError(f"save failed: {reply.status_code} {reply.text[:200]}")
            with lock:
                latencies.append(elapsed)
    return len(who.questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duplicate-every", type=int, default=4, help="re-send every Nth save (0: never)")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    with bench_database("hvs_bench_quiz", learners=args.learners) as env:
        phones = make_learners(env, args.learners)
        with gunicorn(env) as base:
            latencies: list[float] = []
            lock = threading.Lock()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                learners = list(pool.map(lambda p: sign_in_and_start(base, p), phones))
                keys = option_keys(env, [who.attempt_id for who in learners])
                started = time.perf_counter()  # only the saves are timed
                counts = list(pool.map(lambda w: answer_all(base, w, keys[w.attempt_id], args.duplicate_every,
                                                            latencies, lock), learners))
            elapsed = time.perf_counter() - started
        engine = create_engine(normalise_database_url(env["DATABASE_URL"]))
        with engine.connect() as conn:
            per_attempt = text("SELECT attempt_id, count(*) FROM attempt_answers GROUP BY attempt_id")
            stored = dict(conn.execute(per_attempt).all())
        engine.dispose()
    expected = {who.attempt_id: count for who, count in zip(learners, counts, strict=True)}
    lost = sum(max(0, n - stored.get(a, 0)) for a, n in expected.items())
    doubled = sum(max(0, stored.get(a, 0) - n) for a, n in expected.items())
    saves = len(latencies)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"gunicorn 2 sync workers, PostgreSQL; {args.learners} learners, {args.concurrency} at a time")
    print(f"answer saves: {saves} requests ({sum(expected.values())} answers, the rest deliberate re-sends) "
          f"in {elapsed:.1f} s = {saves / elapsed:.0f} saves/s")
    print(f"latency p50 {cuts[49]:.1f} ms   p95 {cuts[94]:.1f} ms   p99 {cuts[98]:.1f} ms   "
          f"max {max(latencies):.1f} ms")
    print(f"lost answers: {lost}   doubled answers: {doubled}   (both must be 0)")


if __name__ == "__main__":
    main()
