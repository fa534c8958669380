"""A class's assessment results and its practical-task checklist, for the instructor."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import inputs, policy
from app.catalog.models import Module
from app.classes import services as classes
from app.classes.models import Class
from app.errors import DomainError, error_response, wants_json
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
    """Tick (or untick) one practical task for one learner; the page's script gets the saved state back as JSON."""
    klass, module, learners = _class_and_module(class_id)
    if module is None:
        abort(404)
    person = next((p for p in learners if p.id == request.form.get("person_id", type=inputs.record_id)), None)
    if person is None:
        return error_response(404, _l("Người này không còn học lớp này nên không đánh dấu được. Hãy tải lại trang."))
    code = request.form.get("task", "")
    ticking, checked_on = request.form.get("action") != "untick", None
    try:
        if ticking:
            check = practical.tick(person, module, code, by=current_user, on=utcnow(), class_id=klass.id)
            checked_on = check.checked_on
        else:
            practical.untick(person, module, code)
    except DomainError as error:
        db.session.rollback()
        if wants_json():
            return error_response(400, error.message)
        flash(str(error.message), "error")
    else:
        db.session.commit()
        if wants_json():
            return jsonify(_tick_answer(person, module, code, checked_on))
    return redirect(url_for("quizzes.class_practical", class_id=klass.id, module=module.id,
                            _anchor=f"learner-{person.id}"))


def _tick_answer(person: Person, module: Module, code: str, checked_on: Any) -> dict[str, Any]:
    """Describe what the server now holds for one learner's task, for the page to show."""
    lang = str(get_locale())
    task = next((t.title(lang) for t in module.current.tasks if t.code == code), code)
    if checked_on is None:
        message = _("Đã bỏ đánh dấu: %(task)s – %(name)s.", task=task, name=person.full_name)
        return {"done": False, "date": "", "message": message}
    message = _("Đã lưu: %(name)s đã làm được “%(task)s”.", task=task, name=person.full_name)
    return {"done": True, "date": format_date(checked_on, "short"), "message": message}
