"""Lesson page vs a bare Flask page: gunicorn (2 sync workers) on PostgreSQL, many concurrent clients.

Prints req/s and p50/p95/p99 for both, their throughput ratio, and the lesson page's total bytes on the wire
with all its assets. Targets: lesson page at least half the bare page's throughput; p95 under 100 ms at
50 concurrent clients. Needs wrk (Debian: apt-get install -y wrk) and PostgreSQL.
"""
from __future__ import annotations

import argparse
import re
from urllib.parse import urljoin

import requests

from bench.common import bench_database, gunicorn, machine, report_line, sign_in, wrk

LESSON = "/catalog/modules/NCT-01/lessons/bo-phan-bat-tat-mo-khoa"
ENCODING = {"Accept-Encoding": "br, gzip"}


def bytes_on_the_wire(session: requests.Session, url: str) -> tuple[int, list[tuple[str, int]]]:
    """Fetch a page and every asset it references, compressed as a browser would; return total bytes."""
    parts: list[tuple[str, int]] = []

    def fetch(target: str) -> str:
        response = session.get(target, headers=ENCODING, stream=True)
        body = response.raw.read(decode_content=False)
        head = len(f"HTTP/1.1 {response.status_code} {response.reason}\r\n") + sum(
            len(k) + len(v) + 4 for k, v in response.headers.items()) + 2
        parts.append((target.split("//", 1)[-1].split("/", 1)[-1], len(body) + head))
        return response.content.decode("utf-8", "replace") if not body else body.decode("utf-8", "replace")

    page = session.get(url, headers={"Accept-Encoding": "identity"}).text
    fetch(url)
    assets = set(re.findall(r'(?:href|src)="(/(?:static|catalog/media)/[^"]+)"', page))
    for asset in sorted(assets):
        fetch(urljoin(url, asset.replace("&amp;", "&")))
    return sum(size for _, size in parts), parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    with (bench_database("hvs_bench_lesson") as env, gunicorn(env) as app_url,
          gunicorn(env, app="bench.bare_app:app") as bare_url):
        session = sign_in(app_url, "0910000001", "246810")
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        assert session.get(app_url + LESSON).status_code == 200
        total, parts = bytes_on_the_wire(session, app_url + LESSON)
        # Warm both servers, then measure each for the same time.
        wrk(app_url + LESSON, connections=4, seconds=2, headers={"Cookie": cookie, **ENCODING})
        wrk(bare_url + "/bare/1", connections=4, seconds=2, headers=ENCODING)
        lesson = wrk(app_url + LESSON, connections=args.connections, seconds=args.seconds,
                     headers={"Cookie": cookie, **ENCODING})
        bare = wrk(bare_url + "/bare/1", connections=args.connections, seconds=args.seconds, headers=ENCODING)
    print(f"gunicorn 2 sync workers, PostgreSQL, {args.connections} concurrent clients, {args.seconds} s each")
    print(report_line("lesson page (signed in)", lesson))
    print(report_line("bare Flask page", bare))
    ratio = lesson["rps"] / bare["rps"]
    print(f"throughput ratio lesson/bare: {ratio:.2f} (target >= 0.50: {'met' if ratio >= 0.5 else 'NOT met'})")
    print(f"lesson p95 {lesson['p95']:.1f} ms (target < 100 ms: {'met' if lesson['p95'] < 100 else 'NOT met'})")
    print(f"lesson page on the wire with all assets: {total / 1024:.1f} KiB "
          f"(target < 60 KiB: {'met' if total < 60 * 1024 else 'NOT met'})")
    for name, size in parts:
        print(f"  {size:7d} B  {name}")


if __name__ == "__main__":
    main()
