"""Classes: in-person classes for each audience, their sessions, enrolment and calendars."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav
from app.policy import Role

bp = Blueprint("classes", __name__, template_folder="templates")

# Instructors, ambassadors and team members act on a class only when they staff it (instructor or
# assistant); officers and youth organisers run every class of their commune.
CLASS_HELPERS = (Role.INSTRUCTOR, Role.AMBASSADOR, Role.TEAM_MEMBER)
MEMBERS = (Role.LEARNER, *sorted(policy.STAFF))

policy.register("classes.view", policy.rule(*policy.STAFF))
policy.register("classes.manage", policy.rule(Role.OFFICER, Role.YOUTH_ORGANISER))
policy.register("classes.teach", policy.rule(Role.OFFICER, Role.YOUTH_ORGANISER, assigned=CLASS_HELPERS))
policy.register("classes.browse", policy.rule(*MEMBERS))
policy.register("classes.enrol_self", policy.rule(*MEMBERS))
policy.register("classes.withdraw", policy.rule(Role.OFFICER, Role.YOUTH_ORGANISER, owner=True,
                                                assigned=CLASS_HELPERS))

nav.add(nav.NavItem("classes.index", _l("Lớp học"), "classes.view", 30, needs_commune=True))
