"""A class's assessment results and its practical-task checklist, for the instructor."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from app import inputs, policy
from app.catalog.models import Module
from app.classes import services as classes
from app.classes.models import Class
from app.errors import DomainError
from app.extensions import db, utcnow
from app.people.models import Person
from app.quizzes import bp, practical, reports


def _class_and_module(class_id: int) -> tuple[Class, Module | None, list[Person]]:
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.teach", klass)
    modules = [m for m in klass.module_list if m.current is not None]
    wanted = request.values.get("module", type=inputs.record_id)
    module = next((m for m in modules if m.id == wanted), modules[0] if modules else None)
    return klass, module, classes.learners(klass)


@bp.get("/classes/<int:class_id>/results")
@policy.requires("classes.teach")
def class_results(class_id: int) -> str:
    """Show the class's results on one module: each learner, each question, each skill."""
    klass, module, learners = _class_and_module(class_id)
    ids = [p.id for p in learners]
    lang = str(get_locale())
    context: dict[str, Any] = {"klass": klass, "module": module, "learners": learners, "lang": lang}
    if module is not None:
        context.update(results=reports.by_learner(ids, module.id), questions=reports.by_question(ids, module.id),
                       skills=reports.by_skill(ids, module.id),
                       skill_titles=module.current.framework_version.skill_titles(lang))
    return render_template("quizzes/class_results.html", **context)


@bp.get("/classes/<int:class_id>/practical")
@policy.requires("classes.teach")
def class_practical(class_id: int) -> str:
    """The checklist of practical tasks: one row per learner, one tick per task."""
    klass, module, learners = _class_and_module(class_id)
    checks = practical.checks_for([p.id for p in learners], module.id) if module else {}
    return render_template("quizzes/class_practical.html", klass=klass, module=module, learners=learners,
                           checks=checks, lang=str(get_locale()))


@bp.post("/classes/<int:class_id>/practical")
@policy.requires("classes.teach")
def tick_practical(class_id: int) -> Any:
    """Tick (or untick) one practical task for one learner, with today's date and the instructor."""
    klass, module, learners = _class_and_module(class_id)
    person = next((p for p in learners if p.id == request.form.get("person_id", type=int)), None)
    if module is None or person is None:
        abort(404)
    code = request.form.get("task", "")
    try:
        if request.form.get("action") == "untick":
            practical.untick(person, module, code)
        else:
            practical.tick(person, module, code, by=current_user, on=utcnow(), class_id=klass.id)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
    return redirect(url_for("quizzes.class_practical", class_id=klass.id, module=module.id,
                            _anchor=f"learner-{person.id}"))
