"""Landing page, dashboard, health check and display preferences."""
from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user

from app import policy
from app.extensions import db, limiter
from app.home import bp, health, panels
from app.home.web import TEXT_SIZES, menu
from app.policy import public
from app.safe_redirect import back_or
from app.transactions import read_only


@bp.get("/")
@read_only
@public
def index() -> str:
    """Show the landing page; signed in, what needs doing today and this week, then the person's other panels."""
    if current_user.is_authenticated:
        tasks, shown, has_tasks = [], [], False
        for panel in panels.PANELS:
            if policy.can(current_user, panel.action):
                has_tasks = has_tasks or panel.task
                data = panel.context(current_user)
                if data is not None:
                    (tasks if panel.task else shown).append((panel, data))
        # Staff reach every page through the menu; their home is their work, not the menu again.
        staff = policy.is_admin(current_user) or any(a.role in policy.STAFF for a in current_user.active_roles)
        return render_template("home/dashboard.html", tiles=[] if staff else menu(), tasks=tasks, panels=shown,
                               has_tasks=has_tasks)
    return render_template("home/index.html")


@bp.get("/healthz")
@public
@limiter.exempt
def healthz() -> Any:
    """Answer 200 when this instance can serve and save, 503 naming what is wrong (for load balancers and people)."""
    checks = health.report(current_app._get_current_object())  # type: ignore[attr-defined]
    failed = [name for name, result in checks.items() if result != health.OK]
    if failed:
        current_app.logger.error("health check failed: %s", ", ".join(f"{n}={checks[n]}" for n in failed))
        return jsonify(status="error", failed=failed, **checks), 503
    return jsonify(status="ok", **checks)


@bp.post("/preferences/language")
@public
def set_language() -> Any:
    """Switch the interface language for this browser session."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(back_or("home.index"))


@bp.post("/preferences/text-size")
@public
def set_text_size() -> Any:
    """Make the text larger or smaller for this browser session."""
    size = request.form.get("size", "")
    if size in TEXT_SIZES:
        session["text_size"] = size
    return redirect(back_or("home.index"))
