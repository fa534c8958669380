"""The pages people open every day vs a bare Flask page, in one run; SQL statements per page; server memory.

A fresh PostgreSQL database with the demo; gunicorn (2 sync workers, the app preloaded by gunicorn.conf.py)
serving the app, and beside it `bench/bare_app.py`. Each page is loaded signed in as the demo person who uses
it, with wrk at 20 and then 50 connections. Printed for each page: req/s, ratio to the bare page, p50/p95, the
SQL statements one request runs (counted in-process on a test client signed in the same way, after one
warm-up request), and whether the targets are met: at least 0.5 of the bare page's throughput and p95 under
100 ms at 50 connections. Then the memory of the whole gunicorn tree after the load (target 150 MB).
Needs wrk (Debian: apt-get install -y wrk) and PostgreSQL.
"""
from __future__ import annotations

import argparse
import os
import shutil
from dataclasses import dataclass
from typing import Any

import requests
import sqlalchemy

from bench.common import SERVER_PIDS, TOKEN, bench_database, gunicorn, machine, sign_in, tree_memory, wrk

LEARNER = ("0910000001", "246810")
INSTRUCTOR = ("0900000003", "hocvuso2026")
OFFICER = ("0900000002", "hocvuso2026")
MODULE = "NCT-01"
LESSON = "/catalog/modules/NCT-01/lessons/bo-phan-bat-tat-mo-khoa"
ENCODING = {"Accept-Encoding": "br, gzip"}
CONNECTIONS = (20, 50)
RATIO_TARGET, P95_TARGET_MS, MEMORY_TARGET_MB = 0.5, 100.0, 150.0


@dataclass
class Page:
    name: str
    path: str
    who: tuple[str, str] | None  # phone and secret; None: not signed in
    bare: bool = False


def _one(engine: sqlalchemy.Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(sqlalchemy.text(sql), params).scalar_one()


def pages(env: dict[str, str]) -> list[Page]:
    """Every daily page, with the ids the demo gave its objects."""
    engine = sqlalchemy.create_engine(env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"))
    commune = _one(engine, "SELECT min(id) FROM communes")
    # The instructor's class session nearest today (the roll call they would open this morning).
    session_id = _one(engine, """
        SELECT cs.id FROM class_sessions cs JOIN class_staff s ON s.class_id = cs.class_id
        JOIN people p ON p.id = s.person_id WHERE p.phone = :phone
        ORDER BY abs(cs.date - current_date), cs.id LIMIT 1""", phone=INSTRUCTOR[0])
    class_id = _one(engine, "SELECT class_id FROM class_sessions WHERE id = :id", id=session_id)
    serial = _one(engine, """SELECT c.serial FROM certificates c JOIN people p ON p.id = c.person_id
                             WHERE p.phone = :phone ORDER BY c.id LIMIT 1""", phone=LEARNER[0])
    engine.dispose()
    return [
        Page("learner home", "/", LEARNER),
        Page("module page", f"/catalog/modules/{MODULE}", LEARNER),
        Page("lesson page", LESSON, LEARNER),
        Page("quiz question", "", LEARNER),  # filled in once an attempt is started
        Page("my certificates", "/my/certificates", LEARNER),
        Page("instructor home", "/", INSTRUCTOR),
        Page("roll call", f"/attendance/sessions/{session_id}", INSTRUCTOR),
        Page("officer class list", f"/communes/{commune}/classes", OFFICER),
        Page("class page", f"/classes/{class_id}", OFFICER),
        Page("verify (public)", f"/verify/{serial}", None),
        Page("bare Flask page", "/bare/1", None, bare=True),
    ]


def start_quiz(base: str, session: requests.Session) -> str:
    """Start (or resume) the learner's quiz on a module they have not passed; return its first question's path."""
    for code in ("NCT-02", "NCT-03", "NCT-04", "NCT-05", "NCT-06", MODULE):
        page = session.get(f"{base}/catalog/modules/{code}/quiz").text
        token = TOKEN.search(page)
        response = session.post(f"{base}/catalog/modules/{code}/quiz/start", allow_redirects=False,
                                data={"csrf_token": token.group(1) or token.group(2)} if token else {})
        location = response.headers.get("Location", "")
        if response.status_code == 302 and "/quiz/attempts/" in location:
            return "/quiz/attempts/" + location.rsplit("/quiz/attempts/", 1)[1]
    raise RuntimeError("could not start a quiz for the benchmark")


def count_queries(env: dict[str, str], targets: list[Page]) -> dict[str, int]:
    """SQL statements one request for each page runs, on an in-process app signed in the same way."""
    os.environ.update(env)
    from app import create_app
    from app.extensions import db

    app = create_app()
    counts: dict[str, int] = {}
    statements = [0]

    def counter(*_args: Any) -> None:
        statements[0] += 1

    with app.app_context():
        sqlalchemy.event.listen(db.engine, "before_cursor_execute", counter)
    for page in targets:
        if page.bare:
            counts[page.name] = 1  # bare_app.py: one primary-key lookup
            continue
        client = app.test_client()
        if page.who:
            form = client.get("/login").get_data(as_text=True)
            token = TOKEN.search(form)
            data = {"phone": page.who[0], "secret": page.who[1],
                    **({"csrf_token": token.group(1) or token.group(2)} if token else {})}
            if client.post("/login", data=data).status_code != 302:
                raise RuntimeError(f"could not sign in to count queries for {page.name}")
        client.get(page.path)  # warm-up: per-process caches fill on the first request
        statements[0] = 0
        response = client.get(page.path)
        if response.status_code != 200:
            raise RuntimeError(f"{page.name}: {page.path} answered {response.status_code} in-process")
        counts[page.name] = statements[0]
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8, help="seconds of load per page and client count")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("This benchmark needs wrk (Debian: apt-get install -y wrk).")
    print(f"Machine: {machine()}")
    results: dict[str, dict[int, dict[str, float]]] = {}
    with bench_database("hvs_bench_pages") as env:
        targets = pages(env)
        with gunicorn(env) as app_url, gunicorn(env, app="bench.bare_app:app") as bare_url:
            cookies: dict[tuple[str, str], str] = {}
            for page in targets:
                if page.who and page.who not in cookies:
                    session = sign_in(app_url, *page.who)
                    if page.who == LEARNER:
                        quiz = start_quiz(app_url, session)
                        next(p for p in targets if p.name == "quiz question").path = quiz
                    cookies[page.who] = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
            for page in targets:
                base = bare_url if page.bare else app_url
                headers = {**ENCODING, **({"Cookie": cookies[page.who]} if page.who else {})}
                check = requests.get(base + page.path, headers=headers, allow_redirects=False)
                if check.status_code != 200:
                    raise RuntimeError(f"{page.name}: {page.path} answered {check.status_code}")
                wrk(base + page.path, connections=4, seconds=1, headers=headers)  # warm-up
                results[page.name] = {c: wrk(base + page.path, connections=c, seconds=args.seconds, headers=headers)
                                      for c in CONNECTIONS}
                after = requests.get(base + page.path, headers=headers, allow_redirects=False)
                if after.status_code != 200:
                    raise RuntimeError(f"{page.name}: {page.path} answered {after.status_code} after the load")
            memory = tree_memory(SERVER_PIDS[app_url])
            bare_memory = tree_memory(SERVER_PIDS[bare_url])
        queries = count_queries(env, targets)
    report(targets, results, queries, memory, bare_memory, args.seconds)


def report(targets: list[Page], results: dict[str, dict[int, dict[str, float]]], queries: dict[str, int],
           memory: dict[str, float], bare_memory: dict[str, float], seconds: int) -> None:
    bare = results["bare Flask page"]
    print(f"gunicorn 2 sync workers (app preloaded), PostgreSQL, wrk {seconds} s per page at "
          f"{' and '.join(map(str, CONNECTIONS))} connections; client, servers and database share the machine")
    head = "".join(f" | {c:>2} clients: req/s  ratio  p50 ms  p95 ms" for c in CONNECTIONS)
    print(f"{'page':<20}{head} | queries | target")
    met_all = True
    for page in targets:
        row = f"{page.name:<20}"
        for c in CONNECTIONS:
            stats = results[page.name][c]
            row += (f" | {'':>11}{stats['rps']:6.0f} {stats['rps'] / bare[c]['rps']:6.2f} "
                    f"{stats['p50']:7.1f} {stats['p95']:7.1f}")
            if stats["errors"]:
                row += f" ({int(stats['errors'])} errors)"
        last = results[page.name][CONNECTIONS[-1]]
        met = last["rps"] / bare[CONNECTIONS[-1]]["rps"] >= RATIO_TARGET and last["p95"] < P95_TARGET_MS
        met_all &= met or page.bare
        print(f"{row} | {queries[page.name]:7d} | {'-' if page.bare else ('met' if met else 'NOT met')}")
    print(f"targets (>= {RATIO_TARGET} of bare and p95 < {P95_TARGET_MS:.0f} ms at {CONNECTIONS[-1]} clients): "
          f"{'all met' if met_all else 'NOT all met'}")
    for name, tree in (("app", memory), ("bare app", bare_memory)):
        print(f"{name} gunicorn tree after load ({int(tree['processes'])} processes): RSS summed "
              f"{tree['rss']:.0f} MB, PSS {tree['pss']:.0f} MB, USS {tree['uss']:.0f} MB")
    print(f"memory target <= {MEMORY_TARGET_MB:.0f} MB: RSS summed "
          f"{'met' if memory['rss'] <= MEMORY_TARGET_MB else 'NOT met'}, PSS "
          f"{'met' if memory['pss'] <= MEMORY_TARGET_MB else 'NOT met'}")


if __name__ == "__main__":
    main()
