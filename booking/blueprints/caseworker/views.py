"""The caseworker's weekly list: overdue, due within 3 weeks, timely."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...models import Caseworker, Role
from ...services.clock import today_local
from ...services.timeliness import weekly_list
from . import bp


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    session = db.session
    caseworker_id = current_user.caseworker_id
    if current_user.role != Role.caseworker or request.args.get("caseworker"):
        caseworker_id = request.args.get("caseworker", type=int) or caseworker_id
    caseworker = session.get(Caseworker, caseworker_id) if caseworker_id else None
    if caseworker is None:
        abort(404)
    if current_user.role == Role.caseworker and caseworker.id != current_user.caseworker_id:
        abort(403)
    today = today_local()
    rule_cfg = settings().rules
    weekly = weekly_list(
        session,
        today,
        caseworker_id=caseworker.id,
        due_soon_days=rule_cfg.due_soon_days,
        lookback_days=rule_cfg.overdue_lookback_days,
    )
    return render_template("caseworker/home.html", caseworker=caseworker, weekly=weekly)
