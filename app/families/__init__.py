"""Gia đình số: a household counts as a digital family when its members have basic digital skills (the rule is the
commune's setting); coverage per village, and the list of households not yet covered for the village team."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav
from app.policy import Role

bp = Blueprint("families", __name__, template_folder="templates")

# The coverage figures are read by those who read the commune's figures (a village team too). The list of households
# not yet covered names residents: officers and the village teams who walk it (a team only its village). Officers set
# the rule; officers and the village teams who know the lanes set a household's alley.
policy.register("families.view", policy.rule(Role.OFFICER, Role.LEADER, Role.YOUTH_ORGANISER, Role.TEAM_MEMBER))
policy.register("families.list", policy.rule(Role.OFFICER, Role.TEAM_MEMBER))
policy.register("families.manage", policy.rule(Role.OFFICER))
policy.register("families.alley", policy.rule(Role.OFFICER, Role.TEAM_MEMBER))

nav.add(nav.NavItem("families.coverage", _l("Gia đình số"), "families.view", 45, needs_commune=True))
