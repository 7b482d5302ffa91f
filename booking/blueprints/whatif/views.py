"""Capacity what-ifs for conversations: make one from the live state with changes, watch it
run, compare, export (XLSX and a printable page), and download its scenario file."""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...services.clock import today_local
from ...services.errors import FormErrors, NotFound
from ...services.whatif import runs
from ...services.whatif.changes import Changes, UnitChange
from ...services.whatif.xlsx import to_xlsx
from ...tasks import whatif_task
from ..bounds import database_id
from . import bp
from .charts import target_values, whatif_chart
from .forms import WhatIfForm
from .messages import field_messages, message

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(
    form: WhatIfForm | None = None, errors: dict[str, str] | None = None, status: int = 200
) -> ResponseReturnValue:
    page = runs.form_page(db.session, settings(), today_local())
    if form is None:
        form = WhatIfForm(
            data={
                "units": [
                    {
                        "code": u.code,
                        "caseworkers": 0,
                        "hours_percent": 100,
                        "group_callins": u.group_callins,
                    }
                    for u in page.units
                ],
                "rehab_meetings": page.rehab_meetings,
                "rehab_capacity": page.rehab_capacity,
            }
        )
    errors = dict(errors or {})
    for field in form:
        if field.name == "units":
            for entry in field:
                for sub in entry.form:
                    if sub.errors:
                        errors.setdefault(sub.id, str(sub.errors[0]))
        elif field.errors:
            errors.setdefault(field.id, str(field.errors[0]))
    return render_template(
        "whatif/list.html",
        page=page,
        form=form,
        errors=errors,
        today={u.code: u for u in page.units},
    ), status


@bp.get("/")
def home() -> ResponseReturnValue:
    return _page()


@bp.post("/")
def start() -> ResponseReturnValue:
    form = WhatIfForm()
    if not form.validate():
        return _page(form, status=422)
    changes = Changes(
        tuple(
            UnitChange(
                e.form.code.data or "",
                e.form.caseworkers.data or 0,
                e.form.hours_percent.data or 100,
                e.form.group_callins.data or 0,
            )
            for e in form.units
        ),
        form.rehab_meetings.data or 0,
        form.rehab_capacity.data or 1,
    )
    try:
        run = runs.new_whatif(
            db.session,
            settings(),
            form.name.data or "",
            changes,
            staff_id=current_user.staff_id,
            today=today_local(),
        )
    except FormErrors as err:
        return _page(form, field_messages(err), 422)
    # committed: the worker (or the inline queue in tests) can read the run now
    whatif_task(run.id)
    flash(_("Beregningen \u201d%(name)s\u201d er startet.", name=run.name), "info")
    return redirect(url_for("whatif.compare", id=[run.id]))


@bp.get("/<int:run_id>.json")
def progress(run_id: int) -> ResponseReturnValue:
    try:
        return jsonify(runs.progress(db.session, run_id))
    except NotFound as err:
        return jsonify({"error": {"status": 404, "message": message(err)}}), 404


def _ids() -> list[int]:
    return request.args.getlist("id", type=database_id)


@bp.get("/sammenlign")
def compare() -> ResponseReturnValue:
    try:
        page = runs.compare_page(db.session, _ids())
    except NotFound:
        abort(404)
    done = [r for r in page.runs if r.state == "done"]
    return render_template(
        "whatif/compare.html",
        page=page,
        done=done,
        chart=whatif_chart(done, settings().targets) if done else None,
        targets=target_values(settings().targets),
        printable=request.args.get("udskrift") == "1",
    )


@bp.get("/sammenligning.xlsx")
def compare_xlsx() -> ResponseReturnValue:
    try:
        page = runs.compare_page(db.session, _ids())
    except NotFound:
        abort(404)
    return Response(
        to_xlsx(page, target_values(settings().targets)),
        mimetype=XLSX,
        headers={"Content-Disposition": "attachment; filename=hvad-hvis-samtaler.xlsx"},
    )


@bp.get("/<int:run_id>/scenarie.toml")
def scenario_file(run_id: int) -> ResponseReturnValue:
    try:
        page = runs.compare_page(db.session, [run_id])
    except NotFound:
        abort(404)
    return Response(
        page.runs[0].scenario,
        mimetype="application/toml",
        headers={"Content-Disposition": f"attachment; filename=hvad-hvis-{run_id}.toml"},
    )
