"""The commune's numbers on a large commune: the dashboard and the commune's yearly report answer in under 1 second.

A fresh PostgreSQL database with the demo and `flask demo load --learners 20000` (classes of this year and last in
every village, ~200,000 attendance marks, confirmed completions with their skills; door-to-door figures are entered
by hand, as the app does not record visits yet). gunicorn (2 sync workers) serves the app; signed in as the demo
officer, ~20 sequential requests each to the dashboard, the commune's yearly report page and its DOCX download.
Printed for each: median and p95 in ms, the SQL statements one request runs (in-process, after a warm-up), and
"target < 1 s: met/not met" (on the p95). Then the service calls alone, in-process: `figures.figures`,
`writing.live_figures` and `compose.render`. Needs PostgreSQL.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
import sqlalchemy

from bench.common import TOKEN, app_for, bench_database, gunicorn, machine, sign_in

OFFICER = ("0900000002", "hocvuso2026")
LEARNERS = 20_000
TARGET_S = 1.0


def commune_report(env: dict[str, str]) -> tuple[int, int, int]:
    """The demo commune, this year and the id of its yearly report (the reports demo step run now if it has not)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.indicators import Period
    from app.people.models import Person
    from app.places.models import Commune
    from app.reports import demo as reports_demo
    from app.reports import writing
    from app.vietnam import local_today

    app = app_for(env)
    with app.test_request_context():
        commune = db.session.scalar(select(Commune).order_by(Commune.id).limit(1))
        officer = db.session.scalar(select(Person).where(Person.phone == OFFICER[0]))
        assert commune is not None and officer is not None
        today = local_today()
        report = writing.latest(commune.id, None, Period(today.year))
        if report is None:  # the reports demo step did not run in `flask demo load` (not wired): run it now
            reports_demo.add_reports(commune)
            db.session.commit()
            report = writing.latest(commune.id, None, Period(today.year))
            assert report is not None
        return commune.id, today.year, report.id


def count_queries(env: dict[str, str], paths: dict[str, str]) -> dict[str, int]:
    """SQL statements one request for each page runs, on an in-process app signed in as the officer."""
    from app.extensions import db

    app = app_for(env)
    statements = [0]

    def counter(*_args: Any) -> None:
        statements[0] += 1

    with app.app_context():
        sqlalchemy.event.listen(db.engine, "before_cursor_execute", counter)
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = TOKEN.search(form)
    data = {"phone": OFFICER[0], "secret": OFFICER[1],
            **({"csrf_token": token.group(1) or token.group(2)} if token else {})}
    if client.post("/login", data=data).status_code != 302:
        raise RuntimeError("could not sign in to count queries")
    counts = {}
    for name, path in paths.items():
        client.get(path)  # warm-up: per-process caches fill on the first request
        statements[0] = 0
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{name}: {path} answered {response.status_code} in-process")
        counts[name] = statements[0]
    return counts


def timed(call: Callable[[], Any], times: int) -> list[float]:
    """Seconds each of `times` calls took, after one warm-up call."""
    call()
    found = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        found.append(time.perf_counter() - started)
    return found


def services(env: dict[str, str], commune_id: int, year: int, report_id: int, times: int) -> dict[str, list[float]]:
    """The service calls behind the pages, timed in-process (no HTTP, no template)."""
    from app.extensions import db
    from app.indicators import Period
    from app.reports import compose, figures, writing
    from app.reports.models import Report
    from app.vietnam import local_today

    app = app_for(env)
    with app.test_request_context():
        report = db.session.get(Report, report_id)
        assert report is not None
        result = {
            "figures.figures (year)": timed(lambda: figures.figures(commune_id, Period(year)), times),
            "writing.live_figures": timed(lambda: writing.live_figures(report), times),
            "compose.render docx": timed(lambda: compose.render(report, "docx", today=local_today()), times),
        }
        db.session.rollback()
    return result


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def line(name: str, samples: list[float], queries: int | None = None) -> str:
    met = "met" if p95(samples) < TARGET_S else "NOT met"
    count = f"   {queries:4d} statements" if queries is not None else ""
    return (f"{name:<34} median {statistics.median(samples) * 1000:7.1f} ms   p95 {p95(samples) * 1000:7.1f} ms"
            f"{count}   target < 1 s: {met}")


@contextmanager
def existing_database(url: str) -> Iterator[dict[str, str]]:
    """The environment for a database already loaded (`--url`): measure again without loading it again."""
    with tempfile.TemporaryDirectory(prefix="hvs-bench-") as instance:
        yield {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": url, "SECRET_KEY": "bench-secret",
               "DATA_ENCRYPTION_KEY": "bench-data-key", "RATELIMIT_ENABLED": "false", "INSTANCE_PATH": instance}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=LEARNERS, help="learners to generate")
    parser.add_argument("--requests", type=int, default=20, help="sequential requests per page")
    parser.add_argument("--url", help="measure a database already loaded with `flask demo load --learners N` "
                                      "(it is kept) instead of creating one")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    started = time.perf_counter()
    database = existing_database(args.url) if args.url else bench_database("hvs_bench_reports",
                                                                           learners=args.learners)
    with database as env:
        if not args.url:
            print(f"Database ready with {args.learners} generated learners in {time.perf_counter() - started:.0f} s "
                  "(migrations, curriculum, demo, bulk load, ANALYZE)")
        commune_id, year, report_id = commune_report(env)
        paths = {"dashboard": f"/reports/commune/{commune_id}?year={year}",
                 "yearly report page": f"/reports/report/{report_id}",
                 "yearly report DOCX": f"/reports/report/{report_id}/download.docx"}
        samples: dict[str, list[float]] = {}
        with gunicorn(env) as base:
            session = sign_in(base, *OFFICER)
            for name, path in paths.items():
                check = session.get(base + path, allow_redirects=False)
                if check.status_code != 200:
                    raise RuntimeError(f"{name}: {path} answered {check.status_code}")
                samples[name] = []
                for _ in range(args.requests):
                    began = time.perf_counter()
                    response = session.get(base + path, allow_redirects=False)
                    samples[name].append(time.perf_counter() - began)
                    if response.status_code != 200:
                        raise RuntimeError(f"{name}: {path} answered {response.status_code}")
        queries = count_queries(env, paths)
        in_process = services(env, commune_id, year, report_id, args.requests)
    print(f"gunicorn 2 sync workers, PostgreSQL, {args.requests} sequential requests per page, signed in as the "
          "officer; client, server and database share the machine")
    for name in paths:
        print(line(name, samples[name], queries[name]))
    print("in-process service calls:")
    for name, found in in_process.items():
        print(line(name, found))


if __name__ == "__main__":
    try:
        main()
    except requests.RequestException as error:
        raise SystemExit(f"benchmark failed: {error}") from error
