from flask import Blueprint

from ...models import Role
from ..access import staff_only

bp = Blueprint("rules", __name__)
staff_only(bp, Role.planner, Role.manager, Role.caseworker)

from . import views  # noqa: E402,F401
