"""Central call-in: group sessions (plan, invite, figures) and the central-booking list."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ...db import db
from ...extensions import settings
from ...models import Caseworker, GroupSession, Unit
from ...services.calendar_days import closed_days, is_working_day
from ...services.callin import CallinError, CallinSettings
from ...services.callin.figures import resource_indicator, session_figures
from ...services.callin.history import record_seen
from ...services.callin.sessions import (
    SessionPlan,
    capacity,
    invite,
    list_sessions,
    plan_session,
    preview,
    session_day,
    window_minutes,
)
from ...services.central import central_booking_list
from ...services.clock import now_utc, today_local
from ..access import writes_audit
from . import bp
from .forms import InviteForm, PlanForm
from .messages import message

CANDIDATES_SHOWN = 15
# which form field a refusal from plan_session belongs to
FIELD_OF = {
    "day_past": "day",
    "minutes_range": "minutes",
    "location_missing": "location",
    "risk_range": "risk",
    "no_pool": "pool",
    "unknown_caseworker": "pool",
}  # candidate rows shown beyond the number chosen


def callin_settings() -> CallinSettings:
    return settings().callin


def municipality() -> str:
    return settings().app.municipality


def get_session_or_404(session_id: int) -> GroupSession:
    gs = db.session.get(GroupSession, session_id)
    if gs is None:
        abort(404)
    return gs


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    now = now_utc()
    sessions = list_sessions(db.session)
    rows = [(gs, session_figures(gs, now)) for gs in sessions]
    return render_template("callin/home.html", rows=rows, today=today_local())


@bp.route("/central")
@writes_audit
def central():  # type: ignore[no-untyped-def]
    today = today_local()
    local_days = settings().rules.self_booking_days
    items = central_booking_list(db.session, today, local_days=local_days)
    record_seen(
        db.session,
        current_user.staff_id,
        "callin_central_list_view",
        [item.obligation.citizen_id for item in items[:200]],
        object_type="central_list",
        object_id=None,
    )
    db.session.commit()
    return render_template("callin/central.html", items=items, today=today)


def _caseworkers_by_unit() -> list[tuple[Unit, list[Caseworker]]]:
    units = db.session.scalars(select(Unit).order_by(Unit.name)).all()
    workers = db.session.scalars(
        select(Caseworker).where(Caseworker.active).order_by(Caseworker.name)
    ).all()
    return [(u, [cw for cw in workers if cw.unit_id == u.id]) for u in units]


@bp.route("/ny", methods=["GET", "POST"])
def plan():  # type: ignore[no-untyped-def]
    form = PlanForm()
    grouped = _caseworkers_by_unit()
    form.unit.choices = [SelectChoice(0, _("Alle enheder"))] + [
        SelectChoice(u.id, u.name) for u, _cws in grouped
    ]
    if request.method == "GET":
        form.day.data = form.day.data or today_local()
        form.risk.data = round(callin_settings().overflow_risk * 100)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            plan = SessionPlan(
                day=form.day.data,
                start=form.start.data,
                end=form.end.data,
                location=form.location.data or "",
                minutes=form.minutes.data,
                caseworker_ids=tuple(form.pool.data or ()),
                unit_id=form.unit.data or None,
                overflow_risk=form.risk.data / 100,
            )
            try:
                gs = plan_session(
                    db.session, plan, staff_id=current_user.staff_id, today=today_local()
                )
            except CallinError as err:
                db.session.rollback()
                field = getattr(form, FIELD_OF.get(err.code, "end"))
                field.errors = [*field.errors, message(err)]
            else:
                db.session.commit()
                closed = closed_days([plan.day.year])
                if not is_working_day(plan.day, closed):
                    flash(_("Bemærk: dagen er en weekend- eller helligdag."), "info")
                flash(_("Det fælles indkald er planlagt. Vælg nu, hvem der indkaldes."), "success")
                return redirect(url_for("callin.session_page", session_id=gs.id))
    chosen = set(form.pool.data or ())
    return render_template("callin/plan.html", form=form, grouped=grouped, chosen=chosen), status


@bp.route("/<int:session_id>")
@writes_audit
def session_page(session_id: int):  # type: ignore[no-untyped-def]
    gs = get_session_or_404(session_id)
    count = request.args.get("antal", type=int)
    if count is not None and count < 0:
        count = 0
    closed = gs.state.value == "closed"
    pv = None if closed else preview(db.session, gs, callin_settings(), count=count)
    shown = pv.candidates[: pv.chosen + CANDIDATES_SHOWN] if pv else []
    invitations = sorted(gs.invitations, key=lambda i: i.citizen.name)
    record_seen(
        db.session,
        current_user.staff_id,
        "callin_session_view",
        [c.citizen.id for c in shown] + [i.citizen_id for i in invitations],
        object_type="group_session",
        object_id=gs.id,
    )
    db.session.commit()
    form = InviteForm(count=pv.chosen if pv else None)
    return render_template(
        "callin/session.html",
        gs=gs,
        day=session_day(gs),
        capacity=capacity(gs),
        window=window_minutes(gs),
        figures=session_figures(gs, now_utc()),
        pv=pv,
        shown=shown,
        invitations=invitations,
        form=form,
    )


@bp.route("/<int:session_id>/indkald", methods=["POST"])
def invite_post(session_id: int):  # type: ignore[no-untyped-def]
    get_session_or_404(session_id)
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Skriv et antal på mindst 1."), "error")
        return redirect(url_for("callin.session_page", session_id=session_id))
    try:
        made = invite(
            db.session,
            session_id,
            form.count.data,
            callin_settings(),
            staff_id=current_user.staff_id,
            municipality=municipality(),
        )
    except CallinError as err:
        db.session.rollback()
        flash(message(err), "error")
        return redirect(url_for("callin.session_page", session_id=session_id))
    db.session.commit()
    flash(_("%(n)s borgere er indkaldt, og brevene er lagt i udbakken.", n=len(made)), "success")
    return redirect(url_for("callin.session_page", session_id=session_id))


@bp.route("/tal")
def figures():  # type: ignore[no-untyped-def]
    now = now_utc()
    rows = [(gs, session_figures(gs, now)) for gs in list_sessions(db.session)]
    points = resource_indicator(db.session, today_local(), callin_settings())
    return render_template("callin/figures.html", rows=rows, points=points)
