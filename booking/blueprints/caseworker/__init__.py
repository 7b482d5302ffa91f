from flask import Blueprint

from ...models import Role
from ..access import staff_only

bp = Blueprint("caseworker", __name__)
staff_only(bp, Role.caseworker, Role.manager)

from . import calendar, queue, views  # noqa: E402,F401
