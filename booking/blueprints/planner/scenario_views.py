"""What-if scenarios for the negotiation with the region: build, compare, export, print."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...database import begin_write
from ...db import db
from ...extensions import settings
from ...models import RehabScenario
from ...services.calendar_days import week_monday
from ...services.clock import today_local
from ...services.rehab import export, scenarios
from ...tasks import project_scenario_task
from . import bp

DEFAULTS = {
    "meetings_per_week": "2",
    "places_per_meeting": "5",
    "lead_days": "14",
    "weeks": "26",
    "closed_weeks": "",
}


def _form_defaults() -> dict[str, str]:
    values = dict(DEFAULTS)
    values["lead_days"] = str(settings().rehab.lead_days)
    values["inflow_per_week"] = str(scenarios.inflow_from_history(db.session, today_local()))
    return values


@bp.route("/scenarier", methods=["GET", "POST"])
def scenario_list():  # type: ignore[no-untyped-def]
    values, errors, status = _form_defaults(), {}, 200
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in (*DEFAULTS, "inflow_per_week", "name")}
        session = db.session
        begin_write(session)
        try:
            rehab_cfg = settings().rehab
            params = scenarios.parse_params(
                request.form,
                start=week_monday(today_local()) + timedelta(weeks=1),
                seed=int(rehab_cfg.projection_seed),
                runs=int(rehab_cfg.projection_runs),
            )
            scenario = scenarios.create(
                session, request.form.get("name", ""), params, staff_id=current_user.staff_id
            )
        except scenarios.ScenarioError as exc:
            session.rollback()
            errors, status = exc.errors, 422
        else:
            session.commit()
            project_scenario_task(scenario.id)
            flash(
                _("Scenariet \u201d%(name)s\u201d er oprettet og beregnes.", name=scenario.name),
                "info",
            )
            return redirect(url_for("planner.scenario_list"))
    items = scenarios.listing(db.session)
    return render_template(
        "planner/scenarios.html", scenarios=items, values=values, errors=errors
    ), status


def _chosen() -> list[RehabScenario]:
    ids = request.args.getlist("id", type=int)
    if not ids:
        abort(404)
    found = {
        s.id: s for s in db.session.scalars(select(RehabScenario).where(RehabScenario.id.in_(ids)))
    }
    chosen = [found[i] for i in ids if i in found]
    if len(chosen) != len(set(ids)):
        abort(404)
    return chosen


@bp.route("/scenarier/sammenlign")
def scenario_compare():  # type: ignore[no-untyped-def]
    chosen = _chosen()
    pending = [s for s in chosen if s.result is None]
    return render_template(
        "planner/compare.html",
        scenarios=chosen,
        pending=pending,
        assumptions=export.assumption_rows(chosen),
        targets=settings().targets,
        printable=request.args.get("udskrift") == "1",
    )


@bp.route("/scenarier/sammenligning.csv")
def scenario_csv():  # type: ignore[no-untyped-def]
    body = export.to_csv(_chosen())
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=rehabiliteringsteam-scenarier.csv"},
    )


@bp.route("/scenarier/sammenligning.xlsx")
def scenario_xlsx():  # type: ignore[no-untyped-def]
    return Response(
        export.to_xlsx(_chosen()),
        mimetype=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        headers={"Content-Disposition": "attachment; filename=rehabiliteringsteam-scenarier.xlsx"},
    )
