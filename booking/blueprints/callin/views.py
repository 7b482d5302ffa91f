"""Central call-in: who must be booked centrally now."""

from __future__ import annotations

from flask import current_app, render_template

from ...db import db
from ...services.central import central_booking_list
from ...services.clock import today_local
from . import bp


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    today = today_local()
    local_days = current_app.config["RETTIDIG"]["rules"]["self_booking_days"]
    items = central_booking_list(db.session, today, local_days=local_days)
    return render_template("callin/home.html", items=items, today=today)
