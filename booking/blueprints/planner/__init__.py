from flask import Blueprint

from ...models import Role
from ..access import staff_only

bp = Blueprint("planner", __name__)
staff_only(bp, Role.planner)

from . import scenario_views, schedule_views, views  # noqa: E402,F401
