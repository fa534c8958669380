"""Certificates: completion rules and confirmation, PDF certificates, public verification, signed credentials."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav
from app.policy import Role

bp = Blueprint("certificates", __name__, template_folder="templates")

policy.register("certificates.manage", policy.rule(Role.OFFICER))
policy.register("certificates.view_class", policy.rule(Role.OFFICER, Role.YOUTH_ORGANISER,
                                                       assigned=(Role.INSTRUCTOR, Role.AMBASSADOR, Role.TEAM_MEMBER)))
policy.register("certificates.download", policy.rule(Role.OFFICER, owner=True))
policy.register("certificates.own", policy.rule(any_user=True))

nav.add(nav.NavItem("certificates.mine", _l("Giấy chứng nhận của tôi"), "certificates.own", 20))
nav.add(nav.NavItem("certificates.rules", _l("Điều kiện hoàn thành"), "certificates.manage", 72,
                    needs_commune=True))
