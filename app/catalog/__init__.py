"""Catalog: the skills framework, modules, lessons and question banks, loaded from courses/."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import policy
from app.home import nav

bp = Blueprint("catalog", __name__, template_folder="templates")

policy.register("catalog.learn", policy.Rule(frozenset(), any_user=True))
nav.add(nav.NavItem("catalog.index", _l("Học phần"), "catalog.learn", 10, public=True))
