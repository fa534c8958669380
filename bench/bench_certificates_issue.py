"""Bulk issue of 1,000 certificates on PostgreSQL: serials, signed credentials, then every PDF rendered.

Prints certificates/s for issuing (database + signing) and for rendering the PDFs (2 processes), and the total.
Target: the whole 1,000 in under 10 s on a 2-core machine.
"""
from __future__ import annotations

import argparse
import os
import time

from sqlalchemy import insert, select

from app import vietnam
from bench.common import bench_database, machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    with bench_database("hvs_bench_certs", learners=args.count) as env:
        os.environ.update({k: v for k, v in env.items() if k in ("DATABASE_URL", "SECRET_KEY", "DATA_ENCRYPTION_KEY",
                                                                 "INSTANCE_PATH")})
        from app import create_app
        from app.catalog.services import module_by_code
        from app.certificates import issuing, pdf
        from app.certificates.models import Completion
        from app.classes import services as classes
        from app.classes.models import Enrolment
        from app.extensions import db, utcnow
        from app.people.models import Person
        from app.places.models import Commune, Venue

        app = create_app({"RATELIMIT_ENABLED": False})
        with app.app_context():
            commune = db.session.scalars(select(Commune)).first()
            module = module_by_code("CHUNG-02")
            venue = db.session.scalars(select(Venue).where(Venue.commune_id == commune.id)
                                       .order_by(Venue.capacity.desc())).first()
            venue.capacity = 500
            people = db.session.scalars(select(Person.id).where(Person.phone.is_(None)).limit(args.count)).all()
            now = utcnow()
            groups = []  # the 10/10 day: several classes of up to 500 learners
            for start in range(0, len(people), 500):
                klass = classes.create_class(commune, title=f"Ngày hội 10/10: học kỹ năng số – nhóm {start // 500 + 1}",
                                             audience="general", venue=venue, capacity=500,
                                             starts_on=vietnam.local_today(), ends_on=vietnam.local_today(),
                                             modules=[module])
                members = people[start:start + 500]
                db.session.execute(insert(Enrolment), [{"class_id": klass.id, "person_id": pid, "status": "enrolled",
                                                        "source": "import", "requested_at": now, "enrolled_at": now,
                                                        "created_at": now} for pid in members])
                db.session.execute(insert(Completion), [{
                    "person_id": pid, "commune_id": commune.id, "module_id": module.id,
                    "module_version_id": module.current.id,
                    "framework_version_id": module.current.framework_version_id, "class_id": klass.id,
                    "skills": module.current.skills, "status": "confirmed", "eligible_at": now, "confirmed_at": now}
                    for pid in members])
                groups.append((klass, members))
            db.session.commit()
            signer = issuing.Signer("Đỗ Thị Lan", "Cán bộ Văn hóa - Xã hội")
            started = time.perf_counter()
            certificates = []
            for klass, members in groups:
                learners = db.session.scalars(select(Person).where(Person.id.in_(members))).all()
                for start in range(0, len(learners), 100):  # as `flask certificates issue` does
                    certificates += issuing.issue_many(
                        klass, learners[start:start + 100], signer=signer, actor=None,
                        base_url="https://hocvuso.example.vn", secret=app.config["DATA_ENCRYPTION_KEY"],
                        today=vietnam.local_today())
                    db.session.commit()
            db.session.commit()
            issued = time.perf_counter() - started
            items = [issuing.fields(c, "https://hocvuso.example.vn") for c in certificates]
            started = time.perf_counter()
            pages = list(pdf.render_certificates(items, pdf.load_template(), processes=2))
            rendered = time.perf_counter() - started
            serials = {c.serial for c in certificates}
            db.engine.dispose()
    total = issued + rendered
    print(f"issued {len(certificates)} certificates (serials, records, signed credentials): {issued:.2f} s = "
          f"{len(certificates) / issued:.0f}/s")
    print(f"rendered {len(pages)} PDFs with 2 processes: {rendered:.2f} s = {len(pages) / rendered:.0f}/s, "
          f"{sum(map(len, pages)) / len(pages) / 1024:.0f} KiB each")
    print(f"total {total:.2f} s for {len(certificates)} (target < 10 s: {'met' if total < 10 else 'NOT met'}); "
          f"unique serials: {len(serials) == len(certificates)}")


if __name__ == "__main__":
    main()
