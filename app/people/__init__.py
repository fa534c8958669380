"""People: residents, households, consent, sensitive data and roles."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.home import nav
from app.people.audiences import LABELS
from app.people.consents import METHODS, PURPOSES
from app.people.sensitive import DISABILITY_KINDS
from app.policy import ROLE_LABELS

bp = Blueprint("people", __name__, template_folder="templates")

nav.add(nav.NavItem("people.index", _l("Người dân"), "people.search", 50, needs_commune=True))
nav.add(nav.NavItem("people.households", _l("Hộ gia đình"), "households.manage", 55, needs_commune=True))

GENDERS = {"male": _l("Nam"), "female": _l("Nữ"), "other": _l("Khác")}


@bp.app_context_processor
def labels() -> dict[str, object]:
    """Give every template the people feature's labels."""
    return {"audience_labels": LABELS, "purposes": PURPOSES, "methods": METHODS,
            "disability_kinds": DISABILITY_KINDS, "genders": GENDERS, "role_labels": ROLE_LABELS}
