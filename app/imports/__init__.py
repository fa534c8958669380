"""Imports: upload a CSV or Excel file, preview every row's problems, then apply it all at once."""
from flask import Blueprint

from app import policy

bp = Blueprint("imports", __name__, template_folder="templates")

# Uploading is open to the roles some import kind allows; each kind then checks its own action.
policy.register("imports.upload", policy.Rule(frozenset({policy.Role.OFFICER, policy.Role.INSTRUCTOR,
                                                         policy.Role.YOUTH_ORGANISER})))
