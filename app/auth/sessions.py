"""Signed-in sessions: starting one fresh, ending one, and the idle timeout."""
from __future__ import annotations

import time

from flask import current_app, flash, session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app import policy
from app.people.models import Person

KEPT = ("lang", "text_size")  # display preferences outlive a sign-out; nothing else does
SEEN = "seen"  # when the session was last used (epoch seconds), for the idle timeout
SEEN_EVERY = 300  # write it at most every 5 minutes: a new cookie on every page would cost every page
# What a visitor did just before signing in that the sign-in must not lose (e.g. a scanned check-in QR).
CARRIED_INTO_SIGN_IN: set[str] = set()


def carry_into_sign_in(key: str) -> None:
    """Let a feature keep one session key across signing in (never across signing out)."""
    CARRIED_INTO_SIGN_IN.add(key)


def end_session() -> None:
    """Sign out of this browser and forget everything in its session but display preferences."""
    kept = {key: session[key] for key in KEPT if key in session}
    logout_user()
    session.clear()
    session.update(kept)


def start_session(person: Person) -> None:
    """Sign the person in on a fresh session, so nothing from before carries over but what features ask for."""
    carried = {key: session[key] for key in CARRIED_INTO_SIGN_IN if key in session}
    end_session()
    session.update(carried)
    login_user(person)
    session[SEEN] = int(time.time())


def expire_idle() -> None:
    """Sign out a session left unused longer than the idle time (staff 8 hours by default)."""
    if "_user_id" not in session:
        return
    now = int(time.time())
    seen = session.get(SEEN)
    if isinstance(seen, int) and now - seen > _idle_seconds():
        end_session()
        flash(_("Phiên làm việc đã hết hạn vì lâu không dùng. Vui lòng đăng nhập lại."), "info")
    elif not isinstance(seen, int) or now - seen > SEEN_EVERY:
        session[SEEN] = now


def _idle_seconds() -> int:
    # Learners on their own phone may stay signed in longer; the kiosk signs them out far sooner itself.
    staff = current_user.is_authenticated and policy.rank_of(current_user) > 0
    minutes = current_app.config["SESSION_IDLE_MINUTES" if staff else "LEARNER_SESSION_IDLE_MINUTES"]
    return int(minutes) * 60
