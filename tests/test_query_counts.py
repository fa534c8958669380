"""Queries per page do not grow with the data: every page people open daily costs the same number of SQL
statements with 30 learners and 10 classes as with 3,000 learners and 200 classes (issue 13)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import insert, select

from app.catalog import services as catalog
from app.certificates import completion, issuing
from app.classes import enrolment
from app.classes.models import Class, ClassModule, ClassSession, ClassStaff, Enrolment
from app.demo import services as demo
from app.extensions import db, utcnow
from app.people.models import Person, RoleAssignment
from app.policy import Role
from app.quizzes import services as quizzes
from app.vietnam import local_today
from tests import factories
from tests.certificates.conftest import finished  # noqa: F401  (fixture)
from tests.conftest import login
from tests.statements import counting

SMALL = (30, 10)  # learners, classes
LARGE = (3000, 200)



def _add_world(commune: Any, *, learners: int, classes: int, today_class: Any, instructor: Any, learner: Any,
               module: Any) -> None:
    """Add learners and open classes in bulk: each class has the instructor, the module, a session today and
    its share of the learners; the signed-in learner joins every class, a tenth of the learners the class of today.
    """
    before = set(db.session.scalars(select(Person.id).where(Person.commune_id == commune.id)))
    demo.generate_learners(commune, learners)
    people = [pid for pid in db.session.scalars(select(Person.id).where(Person.commune_id == commune.id)
                                               .order_by(Person.id)) if pid not in before]
    db.session.execute(insert(RoleAssignment), [{"person_id": pid, "role": Role.LEARNER.value,
                                                 "commune_id": commune.id} for pid in people])
    today = local_today()
    now = utcnow()
    class_ids = list(db.session.scalars(insert(Class).returning(Class.id, sort_by_parameter_order=True), [
        {"commune_id": commune.id, "title": f"Lớp kỹ năng số {i + 1}", "audience": "elderly", "status": "open",
         "venue_id": today_class.venue_id, "capacity": 30, "starts_on": today - dt.timedelta(days=7),
         "ends_on": today + dt.timedelta(weeks=8), "description": "", "access_notes": "", "created_at": now,
         "updated_at": now} for i in range(classes)]))
    db.session.execute(insert(ClassStaff), [{"class_id": cid, "person_id": instructor.id, "role": "instructor"}
                                            for cid in class_ids])
    db.session.execute(insert(ClassModule), [{"class_id": cid, "module_id": module.id, "position": 0}
                                             for cid in class_ids])
    db.session.execute(insert(ClassSession), [
        {"class_id": cid, "date": today, "start_time": dt.time(14 + i % 3), "end_time": dt.time(15 + i % 3),
         "venue_id": None, "module_id": module.id, "topic": "", "status": "scheduled", "sequence": 0,
         "created_at": now, "updated_at": now} for i, cid in enumerate(class_ids)])
    rows = [{"class_id": class_ids[i % classes], "person_id": pid} for i, pid in enumerate(people)]
    rows += [{"class_id": today_class.id, "person_id": pid} for pid in people[::10]]
    rows += [{"class_id": cid, "person_id": learner.id} for cid in class_ids]
    db.session.execute(insert(Enrolment), [{**row, "status": "enrolled", "source": "staff", "requested_at": now,
                                            "enrolled_at": now, "above_capacity": False, "created_at": now}
                                           for row in rows])
    db.session.commit()


def _pages(world: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    """Each page and who opens it."""
    learner, officer, instructor = world["learner"], world["officer"], world["instructor"]
    module = world["module"]
    return {
        "learner home": (learner, "/"),
        "module page": (learner, f"/catalog/modules/{module.code}"),
        "lesson page": (learner, f"/catalog/modules/{module.code}/lessons/{world['lesson']}"),
        "quiz question page": (learner, f"/quiz/attempts/{world['attempt']}"),
        "my certificates": (learner, "/my/certificates"),
        "class page (learner)": (learner, f"/classes/{world['today_class'].id}"),
        "instructor home": (instructor, "/"),
        "roll-call page": (instructor, f"/attendance/sessions/{world['session']}"),
        "officer home": (officer, "/"),
        "officer class list": (officer, f"/communes/{world['commune'].id}/classes"),
        "class page (officer)": (officer, f"/classes/{world['today_class'].id}"),
        "verify page": (None, f"/verify/{world['serial']}"),
    }


def _counts(app: Any, world: dict[str, Any], sizes: dict[str, int]) -> dict[str, int]:
    found = {}
    for name, (person, path) in _pages(world).items():
        client: FlaskClient = app.test_client()
        if person is not None:
            login(client, person)
        assert client.get(path).status_code == 200, name  # warm any per-process cache first
        with counting() as statements:
            response = client.get(path)
        assert response.status_code == 200, name
        found[name] = len(statements)
        sizes[name] = len(response.get_data())
    return found


def test_queries_per_page_do_not_grow_with_learners_and_classes(app, ctx, finished) -> None:  # noqa: F811
    commune, klass = finished["commune"], finished["class"]
    learner, officer, instructor = finished["learners"][0], finished["officer"], finished["instructor"]
    standings = completion.class_standing(klass, completion.rules_for(klass.commune_id))
    completion.confirm(klass, standings, actor=officer, now=utcnow())
    cert = issuing.issue(learner, klass, signer=issuing.Signer("Đỗ Thị Lan", "Cán bộ Văn hóa - Xã hội"),
                         actor=officer, base_url="https://hocvuso.example.vn", secret="test-data-key",
                         today=local_today())
    module = catalog.module_by_code("NCT-01")
    today_class = factories.school_class(commune, title="Lớp hôm nay", instructors=(instructor,),
                                         modules=(module, finished["module"]))
    enrolment.enrol(today_class, learner, source="staff")
    session = factories.session_now(today_class)
    attempt = quizzes.start_attempt(learner, module, now=utcnow())
    db.session.commit()
    world = {"commune": commune, "learner": learner, "officer": officer, "instructor": instructor,
             "module": module, "lesson": module.current.lessons[0].slug, "attempt": attempt.id,
             "today_class": today_class, "session": session.id, "serial": cert.serial}
    world = {k: (db.session.merge(v) if isinstance(v, db.Model) else v) for k, v in world.items()}
    extra = {"commune": commune, "today_class": today_class, "instructor": instructor, "learner": learner,
             "module": module}

    _add_world(learners=SMALL[0], classes=SMALL[1], **extra)
    small_sizes: dict[str, int] = {}
    small = _counts(app, world, small_sizes)
    _add_world(learners=LARGE[0] - SMALL[0], classes=LARGE[1] - SMALL[1], **extra)
    large_sizes: dict[str, int] = {}
    large = _counts(app, world, large_sizes)

    assert large == small
    # The large world really shows: longer roll call, more of the instructor's classes today.
    for page in ("roll-call page", "instructor home", "learner home"):
        assert large_sizes[page] > small_sizes[page], (page, small_sizes, large_sizes)
