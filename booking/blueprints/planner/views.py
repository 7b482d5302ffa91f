"""Rehabilitation-team planning day to day: the plan, alerts, accept / move / material sent."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...services.clock import today_local
from ...services.errors import NotFound
from ...services.rehab import planning
from ...services.rehab.assign import PlanError
from ...tasks import replan_rehab_task
from . import bp
from .forms import MoveForm
from .messages import message, note_text


@bp.route("/")
def home() -> ResponseReturnValue:
    page = planning.plan_page(db.session, settings(), today=today_local())
    options = [
        (
            m.meeting.id,
            _("%(date)s (%(free)s ledige)", date=f"{m.meeting.date:%d-%m-%Y}", free=m.free),
        )
        for m in page.meetings
    ]
    return render_template(
        "planner/home.html",
        today=page.today,
        lead_days=page.lead_days,
        meetings=page.meetings,
        lines=page.lines,
        alerts=page.alerts,
        at_risk=page.at_risk,
        options=options,
        planned=page.planned,
        note_text=note_text,
    )


@bp.route("/planlaeg", methods=["POST"])
def replan() -> ResponseReturnValue:
    result = replan_rehab_task()
    if settings().queue.backend == "immediate":
        summary = result.get() if hasattr(result, "get") else result
        flash(
            _(
                "Planen er lavet: %(on_time)s til tiden, %(late)s for sent, %(unplanned)s "
                "uden plads.",
                on_time=summary["on_time"],
                late=summary["late"],
                unplanned=summary["unplanned"],
            ),
            "info",
        )
    else:
        flash(_("Genplanlægningen kører i baggrunden. Opdatér siden om lidt."), "info")
    return redirect(url_for("planner.home"))


@bp.route("/sager/<int:case_id>/godkend", methods=["POST"])
def accept_case(case_id: int) -> ResponseReturnValue:
    try:
        case = planning.accept_case(db.session, case_id, staff_id=current_user.staff_id)
    except NotFound:
        abort(404)
    except PlanError as err:
        flash(message(err), "error")
    else:
        flash(_("Mødet er godkendt for %(name)s.", name=case.citizen.name), "info")
    return redirect(url_for("planner.home"))


@bp.route("/sager/<int:case_id>/flyt", methods=["POST"])
def move_case(case_id: int) -> ResponseReturnValue:
    form = MoveForm()
    try:
        meeting = planning.move_case(
            db.session,
            case_id,
            form.meeting_id.data if form.validate_on_submit() else None,
            staff_id=current_user.staff_id,
            settings=settings(),
            today=today_local(),
        )
    except NotFound:
        abort(404)
    except PlanError as err:
        flash(message(err), "error")
    else:
        flash(_("Sagen er flyttet til mødet %(date)s.", date=f"{meeting.date:%d-%m-%Y}"), "info")
    return redirect(url_for("planner.home"))


@bp.route("/sager/<int:case_id>/materiale-sendt", methods=["POST"])
def material_sent(case_id: int) -> ResponseReturnValue:
    try:
        case = planning.mark_material_sent(db.session, case_id, staff_id=current_user.staff_id)
    except NotFound:
        abort(404)
    except PlanError as err:
        flash(message(err), "error")
    else:
        flash(_("Materialet er markeret som sendt for %(name)s.", name=case.citizen.name), "info")
    return redirect(url_for("planner.home"))
