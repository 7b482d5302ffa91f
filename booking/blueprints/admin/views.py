"""Administration: staff accounts, staff refused for reading too many citizens, and the audit
trail (the latest entries here; the whole trail, filtered and exportable, in
:mod:`.audit_views`; the accounts' pages in :mod:`.users`)."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask.typing import ResponseReturnValue

from ...db import db
from ...services.admin import admin_overview
from ...services.clock import now_utc
from . import bp
from .messages import action_label, actor_kind_label, role_label

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
        action_label=action_label,
        actor_kind_label=actor_kind_label,
        role_label=role_label,
    )


from . import audit_views, users  # noqa: E402,F401  (their routes)
