"""Spreadsheet exports of the staff pages (``/eksport``): each route lets in the roles that
see the page it exports (admin always), as the page's own blueprint does."""

from flask import Blueprint

bp = Blueprint("exports", __name__)

from . import views  # noqa: E402,F401
