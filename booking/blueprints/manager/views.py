"""Management: the weekly timeliness indicator per unit against the targets."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from ...db import db
from ...extensions import settings
from ...services.clock import today_local
from ...services.timeliness import Grouping, manager_page
from . import bp


@bp.route("/")
def home() -> ResponseReturnValue:
    weeks = min(max(request.args.get("uger", default=4, type=int), 1), 26)
    by: Grouping = "caseworker" if request.args.get("pr") == "sagsbehandler" else "unit"
    page = manager_page(db.session, settings().targets, today_local(), weeks=weeks, by=by)
    return render_template(
        "manager/home.html",
        columns=page.columns,
        total=page.total,
        targets=page.targets,
        by=page.by,
        weeks=page.weeks,
    )
