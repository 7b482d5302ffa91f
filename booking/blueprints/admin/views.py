"""Administration: staff accounts, staff refused for reading too many citizens, and the audit
trail."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask.typing import ResponseReturnValue

from ...db import db
from ...services.admin import admin_overview
from ...services.clock import now_utc
from . import bp

AUDIT_ENTRIES = 100  # the page's caption says "the latest 100"
BLOCKED_DAYS = 7  # the page's caption says "the last 7 days"


@bp.route("/")
def home() -> ResponseReturnValue:
    overview = admin_overview(
        db.session, entries=AUDIT_ENTRIES, blocked_since=now_utc() - timedelta(days=BLOCKED_DAYS)
    )
    return render_template(
        "admin/home.html",
        users=overview.users,
        entries=overview.entries,
        blocked=overview.blocked,
        blocked_days=BLOCKED_DAYS,
    )
