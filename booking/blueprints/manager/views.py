"""Management: the weekly timeliness indicator per unit against the targets."""

from __future__ import annotations

from flask import render_template, request

from ...db import db
from ...extensions import settings
from ...services.clock import today_local
from ...services.timeliness import indicator, weeks_back
from . import bp


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    today = today_local()
    weeks = min(max(request.args.get("uger", default=4, type=int), 1), 26)
    periods = weeks_back(today, weeks)
    by = "caseworker" if request.args.get("pr") == "sagsbehandler" else "unit"
    columns = [
        (start, end, {i.key: i for i in indicator(db.session, start, end, today, by=by)})
        for start, end in periods
    ]
    total = {i.key: i for i in indicator(db.session, periods[0][0], periods[-1][1], today, by=by)}
    targets = settings().targets
    return render_template(
        "manager/home.html", columns=columns, total=total, targets=targets, by=by, weeks=weeks
    )
