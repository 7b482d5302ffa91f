"""Rehabilitation-team planning day to day: the plan, alerts, accept / move / material sent."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields import SelectChoice

from ...database import begin_write
from ...db import db
from ...extensions import settings
from ...models import ActorKind, MaterialState, RehabCase, RehabMeeting
from ...services import audit
from ...services.clock import now_utc, today_local
from ...services.rehab import assign
from ...services.rehab.overview import case_lines, material_alerts, upcoming_meetings
from ...services.rehab.schedule import closed_between
from ...tasks import replan_rehab_task
from . import bp
from .forms import MoveForm


def _closed():  # type: ignore[no-untyped-def]
    today = today_local()
    return closed_between(
        today - timedelta(days=60),
        today + timedelta(days=400),
        settings().calendar.optional_closed,
    )


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    today, closed, lead = today_local(), _closed(), settings().rehab.lead_days
    session = db.session
    lines = case_lines(session, today, lead, closed)
    meetings = upcoming_meetings(session, today, lead, closed)
    options = [(m.meeting.id, f"{m.meeting.date:%d-%m-%Y} ({m.free} ledige)") for m in meetings]
    planned = max((line.case.planned_at for line in lines if line.case.planned_at), default=None)
    return render_template(
        "planner/home.html",
        today=today,
        lead_days=lead,
        meetings=meetings,
        lines=lines,
        alerts=material_alerts(lines, today, settings().rehab.material_alert_days),
        at_risk=[line for line in lines if line.at_risk],
        options=options,
        planned=planned,
        move_form=MoveForm(),
    )


@bp.route("/planlaeg", methods=["POST"])
def replan():  # type: ignore[no-untyped-def]
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


def _case(case_id: int) -> RehabCase:
    case = db.session.get(RehabCase, case_id)
    if case is None:
        abort(404)
    return case


@bp.route("/sager/<int:case_id>/godkend", methods=["POST"])
def accept_case(case_id: int):  # type: ignore[no-untyped-def]
    session = db.session
    begin_write(session)
    case = _case(case_id)
    try:
        assign.accept(session, case, staff_id=current_user.staff_id)
    except assign.MoveError as exc:
        session.rollback()
        flash(exc.message_da, "error")
    else:
        session.commit()
        flash(_("Mødet er godkendt for %(name)s.", name=case.citizen.name), "info")
    return redirect(url_for("planner.home"))


@bp.route("/sager/<int:case_id>/flyt", methods=["POST"])
def move_case(case_id: int):  # type: ignore[no-untyped-def]
    session = db.session
    begin_write(session)
    case = _case(case_id)
    form = MoveForm()
    form.meeting_id.choices = [
        SelectChoice(m.id, str(m.date))
        for m in session.scalars(select(RehabMeeting).where(RehabMeeting.date >= today_local()))
    ]
    if not form.validate_on_submit():
        session.rollback()
        flash(_("Vælg et af de kommende møder."), "error")
        return redirect(url_for("planner.home"))
    meeting = session.get(RehabMeeting, form.meeting_id.data)
    try:
        assign.move(
            session,
            case,
            meeting,
            today=today_local(),
            lead_days=settings().rehab.lead_days,
            closed=_closed(),
            staff_id=current_user.staff_id,
        )
    except assign.MoveError as exc:
        session.rollback()
        flash(exc.message_da, "error")
    else:
        session.commit()
        flash(_("Sagen er flyttet til mødet %(date)s.", date=f"{meeting.date:%d-%m-%Y}"), "info")
    return redirect(url_for("planner.home"))


@bp.route("/sager/<int:case_id>/materiale-sendt", methods=["POST"])
def material_sent(case_id: int):  # type: ignore[no-untyped-def]
    session = db.session
    begin_write(session)
    case = _case(case_id)
    if case.meeting_id is None:
        session.rollback()
        flash(_("Sagen har intet møde endnu; planlæg den først."), "error")
        return redirect(url_for("planner.home"))
    case.material_state = MaterialState.sent
    case.material_sent_at = now_utc()
    case.locked = True  # the region prepares this meeting now
    audit.record(
        session,
        actor_kind=ActorKind.staff,
        actor_id=current_user.staff_id,
        action="rehab_material_sent",
        citizen_id=case.citizen_id,
        object_type="rehab_case",
        object_id=case.id,
    )
    session.commit()
    flash(_("Materialet er markeret som sendt for %(name)s.", name=case.citizen.name), "info")
    return redirect(url_for("planner.home"))
