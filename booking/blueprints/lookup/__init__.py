from flask import Blueprint

from ...models import Role
from ..access import staff_only

bp = Blueprint("lookup", __name__)
staff_only(bp, Role.caseworker, Role.callin, Role.planner, Role.manager)

from . import purpose, views  # noqa: E402,F401
