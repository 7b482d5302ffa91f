from flask import Blueprint

from ...models import Role
from ..access import staff_only

bp = Blueprint("admin", __name__)
staff_only(bp, Role.admin)

from . import api_keys, views  # noqa: E402,F401  (routes register on import)
