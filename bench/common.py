"""Shared benchmark plumbing: a fresh PostgreSQL database, gunicorn servers, a signed-in session, wrk."""
from __future__ import annotations

import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "duration_us": %d, "errors": %d, "bytes": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def machine() -> str:
    """Describe the machine the figures come from."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def psql(sql: str) -> None:
    """Run one SQL statement as the PostgreSQL administrator."""
    psql_on(ADMIN_URL, sql)


def psql_on(url: str, sql: str) -> None:
    """Run one SQL statement on a benchmark database."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://"),
                                      isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text(sql))
    engine.dispose()


def flask(env: dict[str, str], *args: str) -> str:
    """Run a `flask` command against the bench environment and return its output."""
    result = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextmanager
def bench_database(name: str, *, learners: int = 0) -> Iterator[dict[str, str]]:
    """Create a fresh PostgreSQL database with the schema, the curriculum and the demo; yield the environment."""
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')
    instance = Path(tempfile.mkdtemp(prefix="hvs-bench-"))
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": url, "SECRET_KEY": "bench-secret",
           "DATA_ENCRYPTION_KEY": "bench-data-key", "RATELIMIT_ENABLED": "false", "INSTANCE_PATH": str(instance)}
    try:
        flask(env, "db", "upgrade")
        flask(env, "courses", "sync")
        flask(env, "demo", "load", *(["--learners", str(learners)] if learners else []))
        # Fresh tables have no planner statistics until autovacuum comes round; a running site has them.
        psql_on(url, "ANALYZE")
        yield env
    finally:
        shutil.rmtree(instance, ignore_errors=True)
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# A form's CSRF token, whichever order its attributes come in.
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"|value="([^"]+)" name="csrf_token"')


def app_for(env: dict[str, str]) -> Any:
    """Create the app in this process on a benchmark database (for counting statements, bulk inserts)."""
    os.environ.update(env)
    from app import create_app

    return create_app()


# The gunicorn master of each server a benchmark started, by base URL (for `tree_memory`).
SERVER_PIDS: dict[str, int] = {}


@contextmanager
def gunicorn(env: dict[str, str], app: str = "wsgi:app", workers: int = 2,
             extra: tuple[str, ...] = ()) -> Iterator[str]:
    """Serve an app with gunicorn (sync workers, settings from gunicorn.conf.py) and yield its base URL."""
    port = free_port()
    process = subprocess.Popen([str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
                                "--log-level", "warning", *extra, app], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    SERVER_PIDS[base] = process.pid
    try:
        for _ in range(300):
            try:
                if requests.get(base + "/healthz", timeout=2).status_code in (200, 404):
                    break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        SERVER_PIDS.pop(base, None)
        process.terminate()
        process.wait(timeout=10)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def tree_memory(pid: int) -> dict[str, float]:
    """Memory of a process and all its descendants in MiB: summed RSS, and PSS and USS where the kernel gives them.

    Summed RSS counts pages the processes share (a preloaded app's code) once per process; PSS splits each
    shared page between its sharers, so the tree's PSS is what it really occupies; USS is what only it holds.
    """
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue += _children(current)
    totals = {"processes": float(len(pids)), "rss": 0.0, "pss": 0.0, "uss": 0.0}
    for current in pids:
        for line in Path(f"/proc/{current}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                totals["rss"] += int(line.split()[1]) / 1024
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text().splitlines()
        except OSError:
            totals["pss"] = totals["uss"] = float("nan")
            continue
        for line in rollup:
            key, _, rest = line.partition(":")
            if key == "Pss":
                totals["pss"] += int(rest.split()[0]) / 1024
            elif key in ("Private_Clean", "Private_Dirty"):
                totals["uss"] += int(rest.split()[0]) / 1024
    return totals


def sign_in(base: str, phone: str, secret: str) -> requests.Session:
    """Return an HTTP session signed in as the given person."""
    session = requests.Session()
    page = session.get(base + "/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    data = {"phone": phone, "secret": secret}
    if token:
        data["csrf_token"] = token.group(1)
    response = session.post(base + "/login", data=data, allow_redirects=False)
    if response.status_code != 302:
        raise RuntimeError("could not sign in for the benchmark")
    return session


def wrk(url: str, *, connections: int, seconds: int, headers: dict[str, str] | None = None,
        threads: int = 2) -> dict[str, float]:
    """Load a URL with wrk and return requests/s and latency percentiles in milliseconds."""
    if shutil.which("wrk") is None:
        raise SystemExit("This benchmark needs wrk (Debian: apt-get install -y wrk).")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    args = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "-s", script.name, "--latency"]
    for key, value in (headers or {}).items():
        args += ["-H", f"{key}: {value}"]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    stats = json.loads(output.strip().splitlines()[-1])
    seconds_run = stats["duration_us"] / 1e6
    return {"rps": stats["requests"] / seconds_run, "requests": stats["requests"], "errors": stats["errors"],
            "p50": stats["p50"] / 1000, "p95": stats["p95"] / 1000, "p99": stats["p99"] / 1000,
            "max": stats["max"] / 1000}


def report_line(name: str, stats: dict[str, float]) -> str:
    """Format one result line."""
    return (f"{name:<28} {stats['rps']:8.1f} req/s   p50 {stats['p50']:6.1f} ms   p95 {stats['p95']:6.1f} ms   "
            f"p99 {stats['p99']:6.1f} ms   errors {int(stats['errors'])}")
