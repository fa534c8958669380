"""Run every benchmark in turn (`make bench`); each prints its own figures. Needs PostgreSQL and wrk."""
from __future__ import annotations

import runpy
import sys

BENCHMARKS = ("bench.bench_pages", "bench.bench_lesson_page", "bench.bench_quiz_answers",
              "bench.bench_attendance_sync", "bench.bench_certificate_pdf", "bench.bench_certificates_issue",
              "bench.bench_reports", "bench.bench_community")


def main() -> None:
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        sys.argv = [name]
        runpy.run_module(name, run_name="__main__")


if __name__ == "__main__":
    main()
