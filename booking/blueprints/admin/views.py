"""Administration: staff accounts and the audit trail."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from ...db import db
from ...models import StaffUser
from ...services import audit
from . import bp


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    users = list(db.session.scalars(select(StaffUser).order_by(StaffUser.role, StaffUser.username)))
    entries = audit.recent(db.session, limit=100)
    return render_template("admin/home.html", users=users, entries=entries)
