"""Benchmark certificate PDFs: render N certificates in one process, then with a process pool.

Run from the repository root: `python bench/bench_certificate_pdf.py [-n 1000] [--processes 2]`.
The requirement is 1,000 certificates in under 10 s on a 2-core machine.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.certificates.pdf import (  # noqa: E402
    CertificateFields,
    load_template,
    render_certificate,
    render_certificates,
)

GIVEN = ["Hương", "Bình", "Ánh Tuyết", "Đức Thắng", "Thị Ngọc Diệp", "Văn Hùng", "Thu Hằng"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GROUPS = ("0. Sử dụng thiết bị và phần mềm trên thiết bị",
          "1. Tìm kiếm và khai thác thông tin trên Internet",
          "2. Giao tiếp và hợp tác trong môi trường số",
          "4. An toàn trên môi trường số")


def sample(i: int) -> CertificateFields:
    """Build the i-th sample certificate (varied names and serials, like a real batch)."""
    serial = f"HVS-2026-{i:06d}"
    return CertificateFields(
        holder_name=f"{FAMILY[i % len(FAMILY)]} {GIVEN[i % len(GIVEN)]}", birth_year=1950 + i % 50,
        achievement_title="Chương trình Bình dân học vụ số dành cho người dân",
        skill_groups=GROUPS[: 1 + i % len(GROUPS)], commune_name="xã Phù Đổng",
        province_name="Thành phố Hà Nội", issued_on=date(2026, 11, 22), officer_name="Trần Văn Bình",
        officer_title="Chủ tịch", serial=serial,
        verify_url=f"https://hocvuso.example.vn/xac-minh/{serial}", revoked=False)


def cpu_seconds() -> float:
    """CPU time used by this process and its finished children (immune to other load)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def report(label: str, count: int, seconds: float, cpu: float, total_bytes: int) -> None:
    """Print throughput for one run."""
    print(f"{label:<12} {count / seconds:7.1f} certificates/s  {seconds / count * 1000:6.2f} ms/certificate"
          f"  {seconds:6.2f} s wall  {cpu / count * 1000:6.2f} ms CPU/certificate"
          f"  {total_bytes / count / 1024:5.1f} KiB/PDF")


def main() -> None:
    """Render the batch single-process and with a pool, and print the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=1000, help="certificates per run")
    parser.add_argument("--processes", type=int, default=2, help="pool size for the second run")
    args = parser.parse_args()
    template = load_template()
    items = [sample(i) for i in range(args.n)]
    render_certificate(items[0], template)  # warm up: fonts registered, caches filled

    start, cpu = time.perf_counter(), cpu_seconds()
    size = sum(len(render_certificate(f, template)) for f in items)
    report("1 process", args.n, time.perf_counter() - start, cpu_seconds() - cpu, size)

    # Includes starting the workers, as a real bulk issue would.
    start, cpu = time.perf_counter(), cpu_seconds()
    size = sum(len(pdf) for pdf in render_certificates(items, template, processes=args.processes))
    report(f"{args.processes} processes", args.n, time.perf_counter() - start, cpu_seconds() - cpu, size)
    print(f"(cpu count {os.cpu_count()}, Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
