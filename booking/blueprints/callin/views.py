"""Central call-in: group sessions (plan, invite, figures); central booking is in central.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ...db import db
from ...extensions import settings
from ...services.callin import CallinError, CallinSettings, pages
from ...services.callin.sessions import SessionPlan, invite, plan_session
from ...services.clock import now_utc, today_local
from ...services.errors import NotFound
from ..bounds import database_id
from . import bp, charts
from .forms import InviteForm, PlanForm
from .messages import message, working_days_text

# which form field a refusal from plan_session belongs to
FIELD_OF = {
    "day_past": "day",
    "day_weekend": "day",
    "day_holiday": "day",
    "day_closed": "day",
    "notice": "day",
    "minutes_range": "minutes",
    "location_missing": "location",
    "risk_range": "risk",
    "no_pool": "pool",
    "unknown_caseworker": "pool",
}


def callin_settings() -> CallinSettings:
    return settings().callin


def optional_closed() -> tuple[str, ...]:
    """The ``[calendar] optional_closed`` days (closed besides the public holidays)."""
    return tuple(settings().calendar.optional_closed)


def municipality() -> str:
    return settings().app.municipality


def sender() -> str:
    """The ``[mail] sender``: the job centre as its letters' calendar ORGANIZER."""
    return settings().mail.sender


@bp.route("/")
def home() -> ResponseReturnValue:
    page = pages.overview_page(db.session, now=now_utc())
    return render_template("callin/home.html", rows=page.rows)


@bp.route("/ny", methods=["GET", "POST"])
def plan() -> ResponseReturnValue:
    form = PlanForm()
    grouped = pages.plan_choices(db.session)
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
                planned = plan_session(
                    db.session,
                    plan,
                    callin_settings(),
                    staff_id=current_user.staff_id,
                    today=today_local(),
                    optional_closed=optional_closed(),
                )
            except CallinError as err:
                field = getattr(form, FIELD_OF.get(err.code, "end"))
                field.errors = [*field.errors, message(err)]
            else:
                flash(_("Det fælles indkald er planlagt. Vælg nu, hvem der indkaldes."), "success")
                return redirect(
                    url_for("callin.session_page", session_id=planned.group_session.id)
                )
    chosen = set(form.pool.data or ())
    return render_template("callin/plan.html", form=form, grouped=grouped, chosen=chosen), status


@bp.route("/<int:session_id>")
def session_page(session_id: int) -> ResponseReturnValue:
    try:
        page = pages.session_page(
            db.session,
            session_id,
            callin_settings(),
            staff_id=current_user.staff_id,
            count=request.args.get("antal", type=database_id),
            now=now_utc(),
            today=today_local(),
            optional_closed=optional_closed(),
        )
    except NotFound:
        abort(404)
    form = InviteForm(count=page.preview.chosen if page.preview else None)
    return render_template(
        "callin/session.html",
        gs=page.group_session,
        day=page.day,
        capacity=page.capacity,
        window=page.window,
        figures=page.figures,
        pv=page.preview,
        shown=page.shown,
        invitations=page.invitations,
        form=form,
        first_letter_day=page.first_letter_day,
        letters_allowed=page.letters_allowed,
        notice_text=working_days_text(callin_settings().min_notice_working_days),
    )


@bp.route("/<int:session_id>/indkald", methods=["POST"])
def invite_post(session_id: int) -> ResponseReturnValue:
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
            sender=sender(),
            today=today_local(),
            optional_closed=optional_closed(),
        )
    except NotFound:
        abort(404)
    except CallinError as err:
        flash(message(err), "error")
        return redirect(url_for("callin.session_page", session_id=session_id))
    flash(_("%(n)s borgere er indkaldt, og brevene er lagt i udbakken.", n=len(made)), "success")
    return redirect(url_for("callin.session_page", session_id=session_id))


@bp.route("/tal")
def figures() -> ResponseReturnValue:
    page = pages.figures_page(db.session, callin_settings(), today=today_local(), now=now_utc())
    return render_template(
        "callin/figures.html",
        rows=page.rows,
        points=page.points,
        indicator_chart=charts.indicator_chart(page.points),
        show_chart=charts.show_rate_chart(page.rows),
    )
