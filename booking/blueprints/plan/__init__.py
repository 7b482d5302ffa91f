"""The conversation plan: "Planlæg samtaler" runs the solver over the open obligations of the
chosen units; the result is accepted in full, per unit or per row (planners; call-in staff for
their own unit; administrators)."""

from flask import Blueprint

from ...models import Role
from ..access import staff_only

bp = Blueprint("plan", __name__)
staff_only(bp, Role.planner, Role.callin)

from . import views  # noqa: E402,F401
