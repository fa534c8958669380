"""Places: communes (official codes), villages and venues."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.home import nav

bp = Blueprint("places", __name__, template_folder="templates")

nav.add(nav.NavItem("places.commune", _l("Thôn và địa điểm"), "places.view", 60, needs_commune=True))
nav.add(nav.NavItem("places.communes", _l("Các xã"), "places.admin", 90))
