"""Home: the landing page, each person's dashboard, health check and display preferences."""
from flask import Blueprint

bp = Blueprint("home", __name__, template_folder="templates")
