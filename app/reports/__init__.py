"""The commune's numbers: indicators, populations, targets, the task table, the dashboard and the movement's report."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav
from app.policy import Role

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")

# The youth union and village teams read the figures (a village team only its village); officers and the commune's
# leaders keep them and write the report; a district or city account (an administrator for now) compares communes.
policy.register("reports.view", policy.rule(Role.OFFICER, Role.LEADER, Role.YOUTH_ORGANISER, Role.TEAM_MEMBER))
policy.register("reports.manage", policy.rule(Role.OFFICER, Role.LEADER))
policy.register("reports.write", policy.rule(Role.OFFICER, Role.LEADER))
policy.register("reports.compare", policy.rule())

nav.add(nav.NavItem("reports.dashboard", _l("Số liệu và báo cáo"), "reports.view", 40, needs_commune=True))
nav.add(nav.NavItem("reports.compare", _l("So sánh các xã"), "reports.compare", 92))
