from flask import Blueprint

from ...models import Role
from ..access import staff_only

bp = Blueprint("callin", __name__)
staff_only(bp, Role.callin)

from . import central, desk, phone, scope, views  # noqa: E402,F401
