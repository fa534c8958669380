"""Demo: the finished class gets passing assessments, practical ticks, confirmed completions and certificates
(one of them revoked), so the verification page has something to show."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.attendance import marks
from app.certificates import completion, issuing
from app.certificates.models import Certificate
from app.classes import demo as classes_demo
from app.classes.models import Class, Enrolment
from app.demo import services as demo
from app.extensions import db, utcnow
from app.people.models import Person
from app.places.models import Commune
from app.quizzes import practical
from app.quizzes import services as quizzes
from app.quizzes.types import type_of
from app.vietnam import local_today

DEMO_BASE_URL = "http://127.0.0.1:5000"  # what `make run` serves; PUBLIC_BASE_URL overrides it
REVOKED_REASON = "Cấp nhầm: học viên đã có giấy chứng nhận khóa này (ví dụ minh họa thu hồi)."
NOT_YET = "0910000027"  # one learner of the finished class still owes a practical task


def _pass(person: Person, klass: Class) -> None:
    for module in klass.module_list:
        if module.current is None:
            continue
        if not any(a.passed for a in quizzes.submitted_attempts(person.id, module.id)):
            attempt = quizzes.start_attempt(person, module, now=utcnow(), class_id=klass.id)
            for question in quizzes.questions_of(attempt):
                quizzes.save_answer(attempt, question.id, type_of(question).best_response(question), now=utcnow())
            quizzes.submit(attempt, now=utcnow())
        tasks = module.current.tasks if person.phone != NOT_YET else module.current.tasks[1:]
        for task in tasks:
            practical.tick(person, module, task.code, by=None, on=utcnow(), class_id=klass.id)


def _attend(klass: Class, officer: Person | None) -> None:
    """Mark learners present at past sessions the attendance demo left unmarked."""
    for session in klass.sessions:
        if session.status != "scheduled" or session.date > local_today():
            continue
        marked = marks.current(session)
        for row in db.session.scalars(select(Enrolment).where(Enrolment.class_id == klass.id,
                                                              Enrolment.status == "enrolled")):
            if row.id not in marked:
                marks.mark(session, row, "present", actor=officer, now=utcnow())


def add_certificates(commune: Commune) -> None:
    """Confirm and certify the demo's finished class, then revoke one certificate."""
    klass = db.session.scalar(select(Class).where(Class.commune_id == commune.id,
                                                  Class.title == classes_demo.FINISHED_CLASS))
    if klass is None or not klass.module_list:
        return
    officer = db.session.scalar(select(Person).where(Person.phone == "0900000002"))
    _attend(klass, officer)
    for person in db.session.scalars(select(Person).join(Enrolment, Enrolment.person_id == Person.id)
                                     .where(Enrolment.class_id == klass.id, Enrolment.status == "enrolled")):
        _pass(person, klass)
    standings = completion.class_standing(klass, completion.rules_for(commune.id))
    completion.confirm(klass, standings, actor=officer, now=utcnow())
    signer = issuing.Signer(officer.full_name if officer else "—", "Cán bộ Văn hóa - Xã hội")
    base = current_app.config.get("PUBLIC_BASE_URL") or DEMO_BASE_URL
    issuing.issue_many(klass, [s.person for s in standings if s.confirmed], signer=signer, actor=officer,
                       base_url=base, secret=current_app.config["DATA_ENCRYPTION_KEY"], today=local_today())
    last = db.session.scalar(select(Certificate).where(Certificate.class_id == klass.id)
                             .order_by(Certificate.serial.desc()))
    if last is not None:
        issuing.revoke(last, reason=REVOKED_REASON, actor=officer)


if add_certificates not in demo.STEPS:
    demo.STEPS.append(add_certificates)
