"""The community models on a large commune: the village coverage of digital families and a team's plan page.

A fresh PostgreSQL database with the demo and `flask demo load --learners 20000` (~6,700 households in three
villages), then 100,000 door-to-door visits inserted in bulk over the past two years (a visitor each, one or two
kinds of help, a follow-up date on one visit in five; three households in ten never visited, so the plan has a list
to walk). gunicorn (2 sync workers) serves the app; ~20 sequential requests each to the families coverage page (as
the demo officer) and Thôn Đông's team plan page (as the demo team member, who sees the village's ~2,200
households and their members for the offline visit form). Printed for each: median and p95 in ms, the page's size,
the SQL statements one request runs (in-process, after a warm-up), and "target < 300 ms: met/not met" (on the p95).
Needs PostgreSQL.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Iterator
from typing import Any

import requests
import sqlalchemy

from bench.common import TOKEN, app_for, bench_database, gunicorn, machine, psql_on, sign_in

OFFICER = ("0900000002", "hocvuso2026")
TEAM_MEMBER = ("0900000007", "hocvuso2026")  # Hoàng Văn Nam, Thôn Đông's team leader in the demo
LEARNERS = 20_000
VISITS = 100_000
TARGET_S = 0.3
NEVER_VISITED = 0.3



def load_visits(env: dict[str, str], count: int, *, seed: int = 15) -> dict[str, int]:
    """Insert `count` visits in bulk to the commune's households (by their village's team); return a few ids."""
    from sqlalchemy import func, insert, select, text

    from app.extensions import db
    from app.people.models import Household, Person
    from app.places.models import Commune
    from app.teams.kinds import HELP_KINDS
    from app.teams.models import Team, TeamMember, Visit, VisitHelp, VisitMember
    from app.vietnam import local_today

    rng = random.Random(seed)
    app = app_for(env)
    with app.app_context():
        commune = db.session.scalar(select(Commune).order_by(Commune.id).limit(1))
        teams = {t.village_id: t for t in db.session.scalars(select(Team).where(Team.commune_id == commune.id))}
        members = {team_id: [pid for (pid,) in rows] for team_id, rows in _group(db.session.execute(
            select(TeamMember.team_id, TeamMember.person_id)).all())}
        households = [(hid, vid) for hid, vid in db.session.execute(
            select(Household.id, Household.village_id).where(Household.commune_id == commune.id))
            if vid in teams]
        residents = {hid: [pid for (pid,) in rows] for hid, rows in _group(db.session.execute(
            select(Person.household_id, Person.id).where(Person.household_id.is_not(None))).all())}
        rng.shuffle(households)
        visited = households[: int(len(households) * (1 - NEVER_VISITED))]
        today = local_today()
        kinds = list(HELP_KINDS)
        first = (db.session.scalar(select(func.max(Visit.id))) or 0) + 1
        visits, visitors, helps = [], [], []
        for n in range(count):
            hid, vid = visited[n % len(visited)]
            team = teams[vid]
            day = today - dt.timedelta(days=rng.randrange(730))
            follow = day + dt.timedelta(days=rng.randrange(3, 30)) if rng.random() < 0.2 else None
            vid_ = first + n
            visits.append({"id": vid_, "team_id": team.id, "household_id": hid, "commune_id": commune.id,
                           "village_id": vid, "visited_on": day, "still_needed": "", "follow_up_on": follow,
                           "client_id": f"bench-{vid_}"})
            crew = members.get(team.id) or []
            if crew:
                visitors.append({"visit_id": vid_, "person_id": rng.choice(crew)})
            people_here = residents.get(hid) or [None]
            for kind in rng.sample(kinds, rng.randint(1, 2)):
                helps.append({"visit_id": vid_, "person_id": rng.choice(people_here), "kind": kind})
        for start in range(0, len(visits), 5000):
            db.session.execute(insert(Visit), visits[start:start + 5000])
        for rows, model in ((visitors, VisitMember), (helps, VisitHelp)):
            for start in range(0, len(rows), 10000):
                db.session.execute(insert(model), rows[start:start + 10000])
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('visits', 'id'), (SELECT max(id) FROM visits))"))
        db.session.commit()
        result = {"commune_id": commune.id, "households": len(households), "visited": len(visited),
                  "helps": len(helps)}
        result["team_id"] = db.session.scalar(  # the team the demo team member leads (Thôn Đông's)
            select(TeamMember.team_id).join(Person, Person.id == TeamMember.person_id)
            .where(Person.phone == TEAM_MEMBER[0]).limit(1)) or next(iter(teams.values())).id
        db.engine.dispose()
    psql_on(env["DATABASE_URL"], "ANALYZE")
    return result


def _group(rows: list[Any]) -> Iterator[tuple[int, list[tuple[int]]]]:
    found: dict[int, list[tuple[int]]] = {}
    for key, value in rows:
        found.setdefault(key, []).append((value,))
    return iter(found.items())


def count_queries(env: dict[str, str], who: tuple[str, str], paths: dict[str, str]) -> dict[str, int]:
    """SQL statements one request for each page runs, on an in-process app signed in as `who`."""
    from app.extensions import db

    app = app_for(env)
    statements = [0]

    def counter(*_args: Any) -> None:
        statements[0] += 1

    with app.app_context():
        sqlalchemy.event.listen(db.engine, "before_cursor_execute", counter)
    client = app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True))
    data = {"phone": who[0], "secret": who[1], **({"csrf_token": token.group(1) or token.group(2)} if token else {})}
    if client.post("/login", data=data).status_code != 302:
        raise RuntimeError("could not sign in to count queries")
    counts = {}
    for name, path in paths.items():
        client.get(path)
        statements[0] = 0
        if client.get(path).status_code != 200:
            raise RuntimeError(f"{name}: {path} failed in-process")
        counts[name] = statements[0]
    return counts


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def line(name: str, samples: list[float], size: int, queries: int) -> str:
    met = "met" if p95(samples) < TARGET_S else "NOT met"
    return (f"{name:<28} median {statistics.median(samples) * 1000:7.1f} ms   p95 {p95(samples) * 1000:7.1f} ms"
            f"   {size / 1024:7.0f} KiB   {queries:4d} statements   target < 300 ms: {met}")


def measure(base: str, who: tuple[str, str], path: str, times: int) -> tuple[list[float], int]:
    session = sign_in(base, *who)
    first = session.get(base + path, allow_redirects=False)
    if first.status_code != 200:
        raise RuntimeError(f"{path} answered {first.status_code}")
    samples = []
    for _ in range(times):
        began = time.perf_counter()
        response = session.get(base + path, allow_redirects=False)
        samples.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return samples, len(first.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=LEARNERS, help="learners to generate")
    parser.add_argument("--visits", type=int, default=VISITS, help="visits to insert")
    parser.add_argument("--requests", type=int, default=20, help="sequential requests per page")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    started = time.perf_counter()
    with bench_database("hvs_bench_community", learners=args.learners) as env:
        print(f"Database ready with {args.learners} generated learners in {time.perf_counter() - started:.0f} s")
        began = time.perf_counter()
        loaded = load_visits(env, args.visits)
        print(f"{args.visits} visits ({loaded['helps']} kinds of help) to {loaded['visited']} of "
              f"{loaded['households']} households inserted in {time.perf_counter() - began:.0f} s")
        pages = {"team plan (Thôn Đông)": (TEAM_MEMBER, f"/teams/{loaded['team_id']}/plan"),
                 "families coverage": (OFFICER, f"/communes/{loaded['commune_id']}/families")}
        results = {}
        with gunicorn(env) as base:
            for name, (who, path) in pages.items():
                results[name] = measure(base, who, path, args.requests)
        queries = {name: count_queries(env, who, {name: path})[name] for name, (who, path) in pages.items()}
    print(f"gunicorn 2 sync workers, PostgreSQL, {args.requests} sequential requests per page; client, server and "
          "database share the machine")
    for name, (samples, size) in results.items():
        print(line(name, samples, size, queries[name]))


if __name__ == "__main__":
    try:
        main()
    except requests.RequestException as error:
        raise SystemExit(f"benchmark failed: {error}") from error
