"""A person's digital skills beyond classes: smartphone, VNeID and its level, payment account, online public
services, AI tools — each dated, with its source and who recorded it. Teams' visits, ambassadors' contacts and the
commune's help desk write here; the commune's rates are counted from it."""
from flask import Blueprint

from app import policy
from app.policy import Role

bp = Blueprint("digital", __name__, template_folder="templates")

# The commune's helpers who meet residents (officers, team members, ambassadors, instructors) read and record what a
# resident can do, each within their scope (a village team only its village); the resident reads their own and may
# declare it themself. Youth organisers and leaders read only the commune's figures.
RECORDERS = (Role.OFFICER, Role.TEAM_MEMBER, Role.AMBASSADOR, Role.INSTRUCTOR)
policy.register("digital.view", policy.rule(*RECORDERS, owner=True))
policy.register("digital.record", policy.rule(*RECORDERS, owner=True))
