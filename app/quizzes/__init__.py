"""Quizzes: assessments drawn from the question banks, attempts that survive a dropped network,
assisted attempts, practical checks, and the shared-tablet kiosk."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav
from app.policy import Role

bp = Blueprint("quizzes", __name__, template_folder="templates")

# Learners take their own attempts; an instructor running an assisted attempt acts on it too.
policy.register("quizzes.take", policy.rule(owner=True, assigned=(Role.INSTRUCTOR, Role.OFFICER)))
policy.register("quizzes.assist", policy.rule(Role.OFFICER, Role.INSTRUCTOR))
policy.register("quizzes.review", policy.rule(Role.OFFICER, Role.INSTRUCTOR, owner=True))
policy.register("quizzes.settings", policy.rule(Role.OFFICER))


nav.add(nav.NavItem("quizzes.settings", _l("Cách đánh giá"), "quizzes.settings", 70, needs_commune=True))
