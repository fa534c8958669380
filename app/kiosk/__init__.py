"""Kiosk: the cultural house's shared tablet, where learners pick their name, enter their PIN, learn, and
leave nothing behind for the next person."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__, template_folder="templates")
