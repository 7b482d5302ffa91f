"""Capacity what-ifs for conversations: the planner's and the manager's room."""

from flask import Blueprint

from ...models import Role
from ..access import staff_only

bp = Blueprint("whatif", __name__)
staff_only(bp, Role.planner, Role.manager)

from . import views  # noqa: E402,F401
