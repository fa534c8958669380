"""A mock VNeID provider (OpenID Connect), bundled for demos and tests; off unless VNEID_MOCK_ENABLED is set.

It stands in for the phone app's approval step: pick a demo citizen or type an ID number, then
"Xác nhận trên ứng dụng VNeID". It is a separate site under /mock-vneid/, so its routes are public.
"""
from flask import Blueprint, abort, current_app

bp = Blueprint("mockvneid", __name__, template_folder="templates", url_prefix="/mock-vneid")


@bp.before_request
def _only_when_enabled() -> None:
    # Never part of a production site unless someone asks for it.
    if not current_app.config.get("VNEID_MOCK_ENABLED"):
        abort(404)
