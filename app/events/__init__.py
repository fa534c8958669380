"""Learning days and campaigns: the 10/10 "Ngày hội toàn dân học tập số", weekly community sessions and mobile
learning points. An event has stations (each teaches one thing), a volunteer roster, pre-registration, a gate where
walk-ins are registered and badged, station check-ins (offline too), a live board for the venue's television and a
summary afterwards."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav
from app.policy import Role

bp = Blueprint("events", __name__, template_folder="templates", url_prefix="/events")

# The commune office and the youth union plan and run the day; the commune's leaders follow it.
policy.register("events.view", policy.rule(Role.OFFICER, Role.YOUTH_ORGANISER, Role.LEADER,
                                           assigned=(Role.INSTRUCTOR, Role.AMBASSADOR, Role.TEAM_MEMBER)))
policy.register("events.manage", policy.rule(Role.OFFICER, Role.YOUTH_ORGANISER))
# The gate and the stations: the organisers, and staff of the commune who are on the event's volunteer roster.
policy.register("events.run", policy.rule(Role.OFFICER, Role.YOUTH_ORGANISER,
                                          assigned=(Role.INSTRUCTOR, Role.AMBASSADOR, Role.TEAM_MEMBER)))

nav.add(nav.NavItem("events.index", _l("Ngày hội, điểm học số"), "events.view", 36, needs_commune=True))
