"""What-if scenarios for the negotiation with the region: build, compare, export, print."""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...models import RehabScenario
from ...services.clock import now_utc, today_local
from ...services.errors import NotFound
from ...services.rehab import comparison, export, scenarios
from ...tasks import project_scenario_task
from ..bounds import database_id
from . import bp
from .charts import scenario_chart
from .messages import ASSUMPTION_LABELS, field_messages

# the form's first suggestion (the lead time comes from the settings, the inflow from history)
SUGGESTED = {
    "meetings_per_week": "2",
    "places_per_meeting": "5",
    "weeks": "26",
    "closed_weeks": "",
}
FIELDS = (
    "name",
    "meetings_per_week",
    "places_per_meeting",
    "lead_days",
    "inflow_per_week",
    "weeks",
    "closed_weeks",
)


def _page(
    values: dict[str, str] | None = None, errors: dict[str, str] | None = None, status: int = 200
) -> ResponseReturnValue:
    page = scenarios.scenario_page(db.session, today_local())
    if values is None:
        values = {
            **SUGGESTED,
            "lead_days": str(settings().rehab.lead_days),
            "inflow_per_week": str(page.suggested_inflow),
        }
    return render_template(
        "planner/scenarios.html", scenarios=page.scenarios, values=values, errors=errors or {}
    ), status


@bp.route("/scenarier", methods=["GET", "POST"])
def scenario_list() -> ResponseReturnValue:
    if request.method != "POST":
        return _page()
    form = request.form.to_dict()
    try:
        scenario = scenarios.new_scenario(
            db.session,
            form,
            rehab=settings().rehab,
            staff_id=current_user.staff_id,
            today=today_local(),
        )
    except scenarios.ScenarioError as err:
        return _page({k: form.get(k, "") for k in FIELDS}, field_messages(err), 422)
    # committed: the worker (or the inline queue in tests) can read the scenario now
    project_scenario_task(scenario.id)
    flash(_("Scenariet \u201d%(name)s\u201d er oprettet og beregnes.", name=scenario.name), "info")
    return redirect(url_for("planner.scenario_list"))


def _chosen() -> list[RehabScenario]:
    try:
        return scenarios.chosen(db.session, request.args.getlist("id", type=database_id))
    except NotFound:
        abort(404)


@bp.route("/scenarier/sammenlign")
def scenario_compare() -> ResponseReturnValue:
    try:
        page = comparison.comparison_page(
            db.session, request.args.getlist("id", type=database_id)
        )
    except NotFound:
        abort(404)
    return render_template(
        "planner/compare.html",
        page=page,
        scenarios=page.scenarios,
        pending=page.pending,
        chart=None if page.pending else scenario_chart(page.scenarios, settings().targets),
        assumption_labels=ASSUMPTION_LABELS,
        targets=settings().targets,
        printable=request.args.get("udskrift") == "1",
    )


@bp.get("/scenarier/<int:scenario_id>.json")
def scenario_progress(scenario_id: int) -> ResponseReturnValue:
    """A scenario's state for the page's poller (static/progress.js)."""
    try:
        return jsonify(comparison.scenario_progress(db.session, scenario_id, now_utc()))
    except NotFound:
        return jsonify({"error": {"status": 404, "message": _("Scenariet findes ikke.")}}), 404


@bp.route("/scenarier/sammenligning.csv")
def scenario_csv() -> ResponseReturnValue:
    body = export.to_csv(_chosen())
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=rehabiliteringsteam-scenarier.csv"},
    )


@bp.route("/scenarier/sammenligning.xlsx")
def scenario_xlsx() -> ResponseReturnValue:
    return Response(
        export.to_xlsx(_chosen()),
        mimetype=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        headers={"Content-Disposition": "attachment; filename=rehabiliteringsteam-scenarier.xlsx"},
    )
