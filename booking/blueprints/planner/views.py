"""Rehabilitation-team planning: meetings, places and material due dates."""

from __future__ import annotations

from flask import current_app, render_template

from ...db import db
from ...services.clock import today_local
from ...services.rehab_view import upcoming_meetings, waiting_cases
from . import bp


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    today = today_local()
    lead_days = current_app.config["RETTIDIG"]["rehab"]["lead_days"]
    return render_template(
        "planner/home.html",
        meetings=upcoming_meetings(db.session, today, lead_days),
        cases=waiting_cases(db.session),
        today=today,
        lead_days=lead_days,
    )
