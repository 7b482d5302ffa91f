"""Importing a job centre from CSV or XLSX files: the admin's and the planner's room."""

from flask import Blueprint

from ...models import Role
from ..access import staff_only

bp = Blueprint("imports", __name__)
staff_only(bp, Role.planner)  # and admin (always)

from . import views  # noqa: E402,F401
