"""Central booking: the list of citizens the job centre must book for, a time picked for one of
them (suggested times first), or many handed to the conversation planner at once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...principal import StaffPrincipal
from ...services import central_booking as booking_service
from ...services.clock import local_date, today_local
from ...services.errors import NotFound
from ...services.planning import staff_actions
from ...services.planning.errors import PlanningError
from ...services.reservations import ReservationError
from ..plan.messages import day_text
from . import bp
from .forms import CentralBookForm
from .messages import central_message


def _user() -> StaffPrincipal:
    user: StaffPrincipal = current_user._get_current_object()
    return user


@bp.route("/central")
def central() -> ResponseReturnValue:
    listing = booking_service.central_list(db.session, _user(), today_local(), settings())
    return render_template(
        "callin/central.html",
        items=listing.page.items,
        today=listing.page.today,
        plannable=listing.plannable,
    )


@bp.post("/central/planlaeg")
def central_plan() -> ResponseReturnValue:
    try:
        started = staff_actions.plan_obligations(
            db.session, _user(), request.form.getlist("valgt"), today=today_local()
        )
    except PlanningError as err:
        flash(central_message(err), "error")
        return redirect(url_for("callin.central"))
    return redirect(url_for("plan.page", koersel=started.run_ids))


def _page(
    obligation_id: int,
    form: CentralBookForm,
    *,
    problem: str | None = None,
    alternatives: Sequence[Any] = (),
    late: bool = False,
    status: int = 200,
) -> ResponseReturnValue:
    try:
        page = booking_service.booking_page(
            db.session,
            obligation_id,
            staff_id=_user().staff_id,
            settings=settings(),
            today=today_local(),
            start=request.args.get("fra"),
        )
    except NotFound:
        abort(404)
    return (
        render_template(
            "callin/central_booking.html",
            page=page,
            form=form,
            problem=problem,
            alternatives=alternatives,
            late=late,
            day_text=day_text,
        ),
        status,
    )


@bp.get("/central/<int:obligation_id>")
def central_booking(obligation_id: int) -> ResponseReturnValue:
    return _page(obligation_id, CentralBookForm(request_key=uuid.uuid4().hex))


@bp.post("/central/<int:obligation_id>")
def central_book(obligation_id: int) -> ResponseReturnValue:
    form = CentralBookForm()
    if not form.validate_on_submit():
        problem = next(iter(form.slot.errors), None) or _("Formularen kunne ikke læses.")
        return _page(obligation_id, form, problem=problem, status=422)
    try:
        outcome = booking_service.book_centrally(
            db.session,
            staff_id=_user().staff_id,
            obligation_id=obligation_id,
            slot_id=int(form.slot.data or 0),
            confirm_late=bool(form.efter_frist.data),
            request_key=form.request_key.data or None,
            settings=settings(),
        )
    except ReservationError as exc:
        if exc.code == "not_found":
            abort(404)
        if exc.code == "already_booked":
            flash(central_message(exc), "info")
            return redirect(url_for("callin.central_booking", obligation_id=obligation_id))
        return _page(
            obligation_id,
            form,
            problem=central_message(exc),
            alternatives=exc.alternatives,
            late=exc.code == "past_statutory",
            status=409 if exc.code == "slot_taken" else 422,
        )
    starts_at = outcome.booking.slot.starts_at
    flash(
        _(
            "%(name)s er booket %(day)s kl. %(time)s. Bekræftelsen med kalenderfil er lagt i "
            "udbakken.",
            name=outcome.booking.citizen.name,
            day=day_text(local_date(starts_at)),
            time=format_datetime(starts_at, "HH:mm"),
        ),
        "success",
    )
    return redirect(url_for("callin.central"))
