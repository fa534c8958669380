"""Taking a module's assessment: start or resume, one question per screen, save at once, submit, results."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import inputs, outbox, policy
from app.catalog import services as catalog
from app.catalog.models import FrameworkVersion, ModuleVersion, Question
from app.errors import DomainError, show_on_form
from app.extensions import db, utcnow
from app.forms import choices
from app.people.models import Person
from app.places.models import Commune
from app.quizzes import bp, class_routes, display, keys, personal, services  # noqa: F401  (routes; data-export)
from app.quizzes.forms import SettingsForm
from app.quizzes.models import AssessmentSettings, Attempt, AttemptAnswer
from app.quizzes.types import type_of
from app.transactions import read_only

for _name, _filter in display.FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


def _module(code: str) -> Any:
    return catalog.module_by_code(code) or abort(404)


@bp.get("/catalog/modules/<code>/quiz")
@policy.requires("catalog.learn")
def overview(code: str) -> str:
    """Show what the assessment asks, how many tries are left, and past results."""
    module = _module(code)
    settings = services.settings_for(current_user.commune_id, module.id)
    attempts = services.submitted_attempts(current_user.id, module.id)
    blocked = None
    if services.open_attempt(current_user.id, module.id) is None:
        try:
            services.check_can_start(current_user.id, module.id, settings, utcnow())
        except DomainError as error:
            blocked = str(error.message)
    return render_template("quizzes/overview.html", module=module, settings=settings, attempts=attempts,
                           open_attempt=services.open_attempt(current_user.id, module.id), blocked=blocked,
                           lang=str(get_locale()))


@bp.post("/catalog/modules/<code>/quiz/start")
@policy.requires("catalog.learn")
def start(code: str) -> Any:
    """Start (or resume) the learner's own attempt."""
    module = _module(code)
    try:
        attempt = services.start_attempt(current_user, module, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("quizzes.overview", code=module.code))
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.post("/people/<int:person_id>/modules/<code>/assisted-quiz")
@policy.requires("quizzes.assist")
def assisted(person_id: int, code: str) -> Any:
    """Let an instructor run the assessment with a learner who cannot operate the screen."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("quizzes.assist", person)
    module = _module(code)
    try:
        attempt = services.start_attempt(person, module, now=utcnow(), assisted_by=current_user,
                                         class_id=request.form.get("class_id", type=inputs.record_id))
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(request.referrer or url_for("people.show", person_id=person.id))
    if attempt.assisted_by_id != current_user.id:
        flash(_("%(name)s đang có một bài làm dở; bài đó được tiếp tục.", name=person.full_name), "warning")
        attempt.assisted_by_id = current_user.id  # the helper now at the learner's side carries on
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


def _attempt(attempt_id: int, action: str = "quizzes.take") -> Attempt:
    attempt = db.get_or_404(Attempt, attempt_id)
    policy.authorize(action, attempt)
    return attempt


@bp.get("/quiz/attempts/<int:attempt_id>")
@read_only
@policy.requires("catalog.learn")
def attempt(attempt_id: int) -> Any:
    """Show the attempt one question at a time, resuming where the learner stopped."""
    loaded = services.attempt_for_page(attempt_id)
    if loaded is None:
        abort(404)
    found, module_title, learner_name = loaded
    policy.authorize("quizzes.take", found)
    if found.status != "in_progress":
        return redirect(url_for("quizzes.results", attempt_id=found.id))
    questions, answers = services.questions_with_answers(found)
    current = request.args.get("q", type=int)
    if current is None or not 0 <= current < len(questions):
        current = services.resume_index(found, answers)
    items = keys.page(found, questions, answers)
    return render_template("quizzes/attempt.html", attempt=found, items=items, current=current,
                           learner_name=learner_name, module_title=module_title)


@bp.post("/quiz/attempts/<int:attempt_id>/answer")
@policy.requires("catalog.learn")
def answer(attempt_id: int) -> Any:
    """Save one answer from a plain form (pages without JavaScript) and go to the next question."""
    found = _attempt(attempt_id)
    question_id = request.form.get("question_id", type=inputs.record_id) or 0
    question = db.session.get(Question, question_id) if question_id in found.question_ids else None
    raw = type_of(question).from_form(request.form) if question is not None else None  # None: refused below
    try:
        services.save_from_page(found, question_id, raw, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        here = found.question_ids.index(question_id) if question_id in found.question_ids else None
        return redirect(url_for("quizzes.attempt", attempt_id=found.id, q=here))
    db.session.commit()
    index = found.question_ids.index(question_id)
    return redirect(url_for("quizzes.attempt", attempt_id=found.id, q=min(index + 1, len(found.question_ids) - 1)))


@bp.post("/quiz/attempts/<int:attempt_id>/answers.json")
@policy.requires("catalog.learn")
def save_answers(attempt_id: int) -> Any:
    """Save a batch of answers from the device's outbox (also those queued offline); a replayed batch changes nothing.

    The batch is the outbox's (`{"device", "items": [{"client_id", "device_time", "question_id", "response"}]}`):
    each answer is saved in its own savepoint, refused ones are named with the reason, and between two answers to
    one question the later by the device's clock wins.
    """
    found = _attempt(attempt_id)
    now = utcnow()

    def known(ids: list[str]) -> set[str]:
        return set(db.session.scalars(select(AttemptAnswer.client_id).where(
            AttemptAnswer.attempt_id == found.id, AttemptAnswer.client_id.in_(ids))))

    def handle(item: outbox.Item) -> None:
        services.save_from_page(found, services.question_id_of(item.fields.get("question_id")),
                                item.fields.get("response"), now=now, client_id=item.client_id,
                                client_time=outbox.effective_time(item.device_time, now))

    answer, status = outbox.receive(request.get_json(silent=True), known=known, handle=handle,
                                    max_items=services.BATCH_MAX)
    if status == 400:  # not a batch at all: nothing was read
        return jsonify(answer), status
    return jsonify(**answer, status=found.status), status


@bp.post("/quiz/attempts/<int:attempt_id>/submit")
@policy.requires("catalog.learn")
def submit(attempt_id: int) -> Any:
    """Hand in the attempt and show the results."""
    found = _attempt(attempt_id)
    services.submit(found, now=utcnow())
    db.session.commit()
    return redirect(url_for("quizzes.results", attempt_id=found.id))


@bp.get("/quiz/attempts/<int:attempt_id>/results")
@policy.requires("catalog.learn")
def results(attempt_id: int) -> Any:
    """Show the score, the skills shown and to practise, and every answer with its feedback."""
    found = db.get_or_404(Attempt, attempt_id)
    if not (policy.can(current_user, "quizzes.take", found) or policy.can(current_user, "quizzes.review", found)):
        abort(403)
    if found.status == "in_progress":
        return redirect(url_for("quizzes.attempt", attempt_id=found.id))
    if found.status != "submitted":
        abort(404)  # set aside when the one-open-attempt rule came in: it was never handed in
    version = db.session.get(ModuleVersion, found.module_version_id)
    framework = db.session.get(FrameworkVersion, version.framework_version_id)  # type: ignore[union-attr]
    lang = str(get_locale())
    shown, practise = services.skills_split(found)
    return render_template("quizzes/results.html", attempt=found, version=version, rows=services.review(found),
                           shown=shown, practise=practise, skills=framework.skill_titles(lang),  # type: ignore[union-attr]
                           learner=db.session.get(Person, found.person_id), lang=lang)


@bp.route("/communes/<int:commune_id>/assessment-settings", methods=["GET", "POST"])
@policy.requires("quizzes.settings")
def settings(commune_id: int) -> Any:
    """Let the commune choose how modules are assessed (defaults stated in the README)."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("quizzes.settings", commune)
    modules = catalog.active_modules()
    module_id = request.values.get("module_id", type=inputs.record_id) or 0
    form = SettingsForm(obj=services.settings_for(commune.id, module_id or None), module_id=module_id)
    form.module_id.choices = choices([(0, _("Mọi học phần"))] + [(m.id, f"{m.code} – {m.current.title_vi}")
                                                                 for m in modules])
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in services.STORE.names}
        try:
            services.save_settings(commune_id=commune.id, module_id=form.module_id.data or None, values=values,
                                   actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Đã lưu cách đánh giá."), "success")
            return redirect(url_for("quizzes.settings", commune_id=commune.id, module_id=form.module_id.data))
    overrides = db.session.scalars(select(AssessmentSettings).where(AssessmentSettings.commune_id == commune.id)).all()
    names = {m.id: m.code for m in modules}
    return render_template("quizzes/settings.html", commune=commune, form=form, overrides=overrides, names=names,
                           defaults=services.DEFAULTS)
