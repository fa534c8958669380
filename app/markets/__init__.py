"""Chợ số: the commune's markets and trade points, their stalls and traders, and the 4T facts of each stall."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav
from app.policy import Role

bp = Blueprint("markets", __name__, template_folder="templates")

# The commune's leaders read the coverage (the markets list) only: a stall page names its trader. Officers, youth
# organisers (who run the 4T classes and volunteers) and community team members (at the markets of their village,
# and the commune-wide ones) check stalls and keep them up to date; only officers create markets or remove a stall.
policy.register("markets.view", policy.rule(Role.OFFICER, Role.LEADER, Role.YOUTH_ORGANISER, Role.TEAM_MEMBER))
policy.register("markets.update", policy.rule(Role.OFFICER, Role.YOUTH_ORGANISER, Role.TEAM_MEMBER))
policy.register("markets.manage", policy.rule(Role.OFFICER))

nav.add(nav.NavItem("markets.index", _l("Chợ số"), "markets.view", 37, needs_commune=True))
