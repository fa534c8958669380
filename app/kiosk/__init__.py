"""Kiosk: the cultural house's shared tablet, where learners pick their name, enter their PIN, learn, and
leave nothing behind for the next person."""
from flask import Blueprint

from app import policy
from app.policy import Role

bp = Blueprint("kiosk", __name__, template_folder="templates")

# How long a commune's shared tablets wait before signing a learner out: the commune's officers decide.
policy.register("kiosk.settings", policy.rule(Role.OFFICER))
