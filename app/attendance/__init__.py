"""Attendance: roll call on a tablet that survives a dropped network, QR and short-code self check-in,
a printable sign-in sheet with fast entry afterwards, and attendance reports."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav
from app.policy import Role

bp = Blueprint("attendance", __name__, template_folder="templates")

# Roll call, the QR screen and the paper sheet use `classes.teach` (officers and youth organisers, and the
# staff assigned to the class). Learners check themselves in. Reports are for the commune's follow-up.
policy.register("attendance.checkin", policy.rule(Role.LEARNER, *sorted(policy.STAFF)))
policy.register("attendance.reports", policy.rule(Role.OFFICER, Role.YOUTH_ORGANISER, Role.TEAM_MEMBER))
# A class's own report: the commune's follow-up roles, and the instructors and assistants of that class.
policy.register("attendance.class_report", policy.rule(Role.OFFICER, Role.YOUTH_ORGANISER, Role.TEAM_MEMBER,
                                                       assigned=(Role.INSTRUCTOR, Role.AMBASSADOR)))
policy.register("attendance.settings", policy.rule(Role.OFFICER))

nav.add(nav.NavItem("attendance.commune_report", _l("Điểm danh"), "attendance.reports", 35, needs_commune=True))
