"""The learner-facing catalogue: modules by audience and skill group, module pages and lessons."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_babel import get_locale
from flask_login import current_user

from app import policy
from app.catalog import bp, progress, services
from app.extensions import db
from app.people.audiences import LABELS, Audience
from app.transactions import read_only

AUDIENCE_FILTERS = (Audience.ELDERLY, Audience.DISABLED, Audience.TRADER, Audience.GENERAL)


def _lang() -> str:
    return str(get_locale() or "vi")


@bp.get("/catalog")
@read_only
@policy.public
def index() -> str:
    """Browse modules by audience and by skill group."""
    audience = request.args.get("audience") or None
    group = request.args.get("group") or None
    if audience not in {a.value for a in AUDIENCE_FILTERS}:
        audience = None
    framework = services.current_framework()
    modules = services.active_modules(audience, group)
    done = services.read_slugs(current_user.id, [m.id for m in modules]) if current_user.is_authenticated else {}
    return render_template("catalog/index.html", modules=modules, audience=audience, group=group, done=done,
                           audiences=[(a.value, LABELS[a]) for a in AUDIENCE_FILTERS], framework=framework,
                           lang=_lang())


@bp.get("/catalog/modules/<code>")
@read_only
@policy.public
def module(code: str) -> str:
    """Show a module: what it teaches, its lessons with progress, and its practical tasks."""
    found = services.module_by_code(code) or abort(404)
    version = found.current
    mine = progress.module_progress(current_user.id, [found]).get(found.id) if current_user.is_authenticated else None
    done = set(mine.read_slugs) if mine else set()
    outline = services.outline_of(version)
    framework = version.framework_version
    return render_template("catalog/module.html", module=found, version=version, outline=outline, done=done,
                           mine=mine, progress=services.progress(outline, done), lang=_lang(),
                           skills=framework.skill_titles(_lang()))


@bp.get("/catalog/modules/<code>/lessons/<slug>")
@read_only
@policy.public
def lesson(code: str, slug: str) -> str:
    """Show a lesson in large type, with read-aloud."""
    module = services.outline(code) or abort(404)
    index = module.index_of(slug)
    if index is None:
        abort(404)
    lessons = module.lessons
    is_done = current_user.is_authenticated and services.has_read(current_user.id, module.module_id, slug)
    return render_template("catalog/lesson.html", module=module, lesson=lessons[index], lang=_lang(),
                           previous=lessons[index - 1] if index > 0 else None,
                           following=lessons[index + 1] if index + 1 < len(lessons) else None,
                           is_done=is_done, position=index + 1, total=len(lessons))


@bp.post("/catalog/modules/<code>/lessons/<slug>/done")
@policy.requires("catalog.learn")
def lesson_done(code: str, slug: str) -> Any:
    """Record that the learner finished the lesson and go on to the next one."""
    found = services.module_by_code(code) or abort(404)
    current = services.lesson_by_slug(found.current, slug) or abort(404)
    services.mark_read(current_user.id, current)
    db.session.commit()
    following = next((lesson for lesson in found.current.lessons if lesson.position > current.position), None)
    if following is not None:
        return redirect(url_for("catalog.lesson", code=found.code, slug=following.slug))
    return redirect(url_for("catalog.module", code=found.code, _anchor="lessons"))


@bp.app_template_global()
def class_learning(klass: Any) -> progress.ClassLearning:
    """In a template: a class's module of the day and, for its signed-in learner, progress and "Học tiếp"."""
    return progress.class_view(current_user, klass)


@bp.get("/catalog/media/<folder>/<path:filename>")
@policy.public
def media(folder: str, filename: str) -> Any:
    """Serve a lesson image from the module's images/ folder."""
    if not folder.replace("-", "").isalnum():
        abort(404)
    images = Path(current_app.config["COURSES_DIR"]) / "modules" / folder / "images"
    return send_from_directory(images, filename, max_age=365 * 24 * 3600)
