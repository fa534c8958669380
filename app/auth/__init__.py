"""Auth: signing in by phone with a password or PIN, or with VNeID; instructor-vouched accounts; signing out."""
from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from flask_babel import lazy_gettext as _l  # noqa: E402

from app import policy  # noqa: E402
from app.extensions import login_manager  # noqa: E402

# An instructor or officer who has met the person creates their account and vouches for them.
policy.register("people.vouch", policy.Rule(frozenset({policy.Role.OFFICER, policy.Role.INSTRUCTOR})))

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
login_manager.login_message_category = "warning"
