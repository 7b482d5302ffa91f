from flask import Blueprint

from ..access import citizen_only

bp = Blueprint("citizen", __name__)
citizen_only(bp)

from . import views  # noqa: E402,F401
