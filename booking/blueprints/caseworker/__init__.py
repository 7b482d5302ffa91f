from flask import Blueprint

from ...models import Role
from ..access import staff_only

bp = Blueprint("caseworker", __name__)
staff_only(bp, Role.caseworker, Role.manager)

from . import calendar, queue, views  # noqa: E402,F401

# the caseworker's time (template, absences, feed page): their own blueprint, since a planner
# edits a caseworker's time too (registered in booking/blueprints/__init__.py)
TIME_BLUEPRINT = "staff_time"
from . import absence_views, feed_views  # noqa: E402,F401
from .time import time_bp  # noqa: E402,F401
