"""Digital ambassadors (Đại sứ số): the people each guides, their guidance contacts logged from a phone (offline
too), the mentees' progress, the officer's view of ambassadors below the commune's target, and the commune
office's help desk for online public services."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav
from app.policy import Role

bp = Blueprint("mentoring", __name__, template_folder="templates")

# An ambassador keeps their own mentees and contacts (a village-scoped one links residents of their village only).
policy.register("mentoring.guide", policy.rule(Role.AMBASSADOR))
# A link is ended by its own ambassador, or by the commune officer.
policy.register("mentoring.link", policy.rule(Role.OFFICER, assigned=(Role.AMBASSADOR,)))
# The officer follows the ambassadors, sets the target, and keeps the office's help-desk log.
policy.register("mentoring.manage", policy.rule(Role.OFFICER))
policy.register("mentoring.helpdesk", policy.rule(Role.OFFICER))

nav.add(nav.NavItem("mentoring.mine", _l("Người tôi hướng dẫn"), "mentoring.guide", 24, needs_commune=True))
nav.add(nav.NavItem("mentoring.overview", _l("Đại sứ số"), "mentoring.manage", 46, needs_commune=True))
nav.add(nav.NavItem("mentoring.helpdesk", _l("Hỗ trợ tại bộ phận một cửa"), "mentoring.helpdesk", 47,
                    needs_commune=True))
