"""Administration: staff accounts and the audit trail."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from ...db import db
from ...services.admin import admin_overview
from . import bp

AUDIT_ENTRIES = 100  # the page's caption says "the latest 100"


@bp.route("/")
def home() -> ResponseReturnValue:
    overview = admin_overview(db.session, entries=AUDIT_ENTRIES)
    return render_template("admin/home.html", users=overview.users, entries=overview.entries)
