"""The conversation plan: start runs, watch them run, read and accept the result."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...models import Role
from ...principal import StaffPrincipal
from ...services.clock import today_local
from ...services.errors import FormErrors, NotFound
from ...services.planning import pages, staff_actions
from ...services.planning.errors import PlanningError
from . import bp
from .messages import (
    day_text,
    field_messages,
    message,
    reason_text,
    stage_text,
    state_text,
    unplanned_texts,
)


def _user() -> StaffPrincipal:
    user: StaffPrincipal = current_user._get_current_object()
    return user


def _start_form(
    errors: dict[str, str] | None = None,
    chosen: Sequence[str] = (),
    weeks: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    page = pages.start_page(db.session, _user(), settings())
    return (
        render_template(
            "plan/start.html",
            page=page,
            errors=errors or {},
            chosen={str(c) for c in chosen},
            weeks=weeks if weeks is not None else str(page.default_weeks),
            state_text=state_text,
        ),
        status,
    )


@bp.get("/")
def home() -> ResponseReturnValue:
    return _start_form()


@bp.post("/")
def start() -> ResponseReturnValue:
    units = request.form.getlist("enhed")
    weeks = request.form.get("uger")
    try:
        started = staff_actions.start_runs(
            db.session, _user(), units=units, weeks=weeks, today=today_local()
        )
    except FormErrors as err:
        return _start_form(field_messages(err), units, weeks, status=422)
    if started.joined:
        flash(
            _(
                "Der kørte allerede en planlægning for %(n)s af enhederne. Den vises her.",
                n=len(started.joined),
            ),
            "info",
        )
    return redirect(url_for("plan.page", koersel=started.run_ids))


def _render(raw_ids: Sequence[str]) -> ResponseReturnValue:
    try:
        page = pages.plan_page(db.session, _user(), raw_ids, settings())
    except NotFound:
        abort(404)
    except PlanningError as err:
        flash(message(err), "error")
        return redirect(url_for("plan.home"))
    return render_template(
        "plan/page.html",
        page=page,
        stage_text=stage_text,
        state_text=state_text,
        reason_text=reason_text,
        unplanned_texts=unplanned_texts,
        day_text=day_text,
        can_book=_user().has_role(Role.callin),
    )


@bp.get("/plan")
def page() -> ResponseReturnValue:
    return _render(request.args.getlist("koersel"))


@bp.get("/koersel/<int:run_id>")
def run(run_id: int) -> ResponseReturnValue:
    return _render([str(run_id)])


@bp.get("/koersel/<int:run_id>.json")
def progress(run_id: int) -> ResponseReturnValue:
    try:
        found = pages.run_progress(db.session, _user(), run_id)
    except NotFound:
        return jsonify({"error": {"status": 404, "message": message(NotFound())}}), 404
    return jsonify(
        {
            "run_id": found.run_id,
            "unit_id": found.unit_id,
            "state": found.state,
            "state_text": state_text(found.state),
            "stage": found.stage,
            "stage_text": stage_text(found.stage),
            "elapsed_s": found.elapsed_s,
            "conversations": found.conversations,
            "finished": found.finished,
        }
    )


def _back(raw_ids: Sequence[str]) -> ResponseReturnValue:
    try:
        ids = pages.parse_run_ids(raw_ids)
    except PlanningError:
        return redirect(url_for("plan.home"))
    return redirect(url_for("plan.page", koersel=ids))


@bp.post("/godkend")
def accept() -> ResponseReturnValue:
    raw_ids = request.form.getlist("koersel")
    try:
        summary = staff_actions.accept_plans(
            db.session,
            _user(),
            run_ids=raw_ids,
            choice=request.form.get("godkend", ""),
            chosen=request.form.getlist("valgt"),
            settings=settings(),
        )
    except NotFound:
        abort(404)
    except PlanningError as err:
        flash(message(err), "error")
        return _back(raw_ids)
    flash(
        _(
            "%(bookings)s bookinger er oprettet eller flyttet, og %(messages)s beskeder til "
            "borgerne er lagt i udbakken.",
            bookings=summary.bookings,
            messages=summary.messages,
        ),
        "success",
    )
    if summary.refused is not None:
        flash(
            _(
                "De øvrige enheder blev ikke godkendt: %(reason)s",
                reason=message(summary.refused),
            ),
            "error",
        )
    return _back(raw_ids)
