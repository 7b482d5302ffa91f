"""The caseworker's calendar (day and week) and the outcome buttons on each booking:
Afholdt / Udeblevet / Aflyst af borger / Aflyst af jobcentret, and undo the same day."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import NumberRange, Optional

from ...db import db
from ...extensions import settings
from ...models import Role
from ...services.calendar_view import MAX_ID, Forbidden, day_page, read_day, week_page
from ...services.clock import now_utc, today_local
from ...services.errors import NotFound, ServiceError
from ...services.outcomes import OutcomeError, OutcomeResult, record_outcome, undo_outcome
from ...services.planning.runs import request_event_replan
from . import bp
from .messages import CHANNEL_LABELS, OUTCOME_LABELS, STATE_LABELS, done_message, message

BOOKING = f"<int(min=1, max={MAX_ID}):booking_id>"


class ActionForm(FlaskForm):
    """A button on a booking (CSRF checked); the hidden fields say where to return to. The
    outcome itself is checked by the service."""

    outcome = HiddenField()
    visning = HiddenField()  # "dag" or "uge"
    dato = HiddenField()
    caseworker = IntegerField(validators=[Optional(), NumberRange(1, MAX_ID)])


def _asked_caseworker() -> int | None:
    """``?caseworker=ID``: any caseworker for a manager, only their own for a caseworker (the
    service refuses another's); not a number: the viewer's own."""
    asked: int | None = request.args.get("caseworker", type=int)
    return asked


def _render(template: str, page_for: str, raw: str | None) -> ResponseReturnValue:
    choice = read_day(raw, today=today_local())
    if choice.problem is not None:
        flash(message(choice.problem), "error")
    build = day_page if page_for == "dag" else week_page
    try:
        page = build(
            db.session,
            caseworker_id=_asked_caseworker(),
            day=choice.day,
            viewer_staff_id=current_user.staff_id,
            now=now_utc(),
        )
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    return render_template(
        template,
        page=page,
        view=page_for,
        manager=current_user.role != Role.caseworker,
        outcome_labels=OUTCOME_LABELS,
        state_labels=STATE_LABELS,
        channel_labels=CHANNEL_LABELS,
    )


@bp.route("/kalender")
def calendar_day() -> ResponseReturnValue:
    return _render("caseworker/calendar_day.html", "dag", request.args.get("dag"))


@bp.route("/kalender/uge")
def calendar_week() -> ResponseReturnValue:
    return _render("caseworker/calendar_week.html", "uge", request.args.get("uge"))


def _back(form: ActionForm) -> ResponseReturnValue:
    """Back to the day or week the button was pressed on (today if that is not readable)."""
    day: date = read_day(form.dato.data, today=today_local()).day
    caseworker: int | None = None
    if current_user.role != Role.caseworker and not form.caseworker.errors:
        caseworker = form.caseworker.data
    if form.visning.data == "uge":
        target = url_for("caseworker.calendar_week", uge=day.isoformat(), caseworker=caseworker)
    else:
        target = url_for("caseworker.calendar_day", dag=day.isoformat(), caseworker=caseworker)
    return redirect(target, 303)


@bp.route(f"/kalender/aftale/{BOOKING}/udfald", methods=["POST"])
def calendar_outcome(booking_id: int) -> ResponseReturnValue:
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Knappen kunne ikke bruges. Genindlæs kalenderen, og prøv igen."), "error")
        return _back(form)
    try:
        result = record_outcome(
            db.session,
            booking_id,
            form.outcome.data or "",
            staff_id=current_user.staff_id,
            now=now_utc(),
            settings=settings(),
        )
    except NotFound:
        abort(404)
    except OutcomeError as err:
        flash(message(err), "error")
    else:
        flash(done_message(result.outcome.value, result.citizen_name), "success")
        _replan(result)
    return _back(form)


def _replan(result: OutcomeResult) -> None:
    """Second step after a reopened obligation: the unit's plan is redone (an event run)."""
    detail = result.event_replan_detail
    if detail is None:
        return
    try:
        request_event_replan(db.session, result.unit_id, detail)
    except ServiceError:
        pass  # the outcome stands; the nightly re-plan picks the obligation up


@bp.route(f"/kalender/aftale/{BOOKING}/fortryd", methods=["POST"])
def calendar_undo(booking_id: int) -> ResponseReturnValue:
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Knappen kunne ikke bruges. Genindlæs kalenderen, og prøv igen."), "error")
        return _back(form)
    try:
        result = undo_outcome(
            db.session,
            booking_id,
            staff_id=current_user.staff_id,
            now=now_utc(),
            settings=settings(),
        )
    except NotFound:
        abort(404)
    except OutcomeError as err:
        flash(message(err), "error")
    else:
        flash(_("Registreringen for %(name)s er fortrudt.", name=result.citizen_name), "success")
    return _back(form)
