"""Community digital technology teams (Tổ công nghệ số cộng đồng): one per village, going door to door."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav
from app.policy import Role

bp = Blueprint("teams", __name__, template_folder="templates", url_prefix="/teams")

# Officers set up the teams; team members (for their village) and officers see a team's plan and record visits.
policy.register("teams.view", policy.rule(Role.OFFICER, Role.TEAM_MEMBER))
policy.register("teams.manage", policy.rule(Role.OFFICER))
policy.register("teams.visit", policy.rule(Role.OFFICER, Role.TEAM_MEMBER))

nav.add(nav.NavItem("teams.index", _l("Tổ công nghệ số"), "teams.view", 34, needs_commune=True))
