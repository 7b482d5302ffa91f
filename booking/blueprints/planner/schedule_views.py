"""Meeting schedule, generated meetings and closures (typed in or imported from .ics)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ...database import begin_write
from ...db import db
from ...extensions import settings
from ...models import RehabClosure, RehabSchedule
from ...services.clock import today_local
from ...services.rehab.schedule import (
    ClosureImportError,
    cancel_meetings_in_closures,
    generate_meetings,
    import_closures,
)
from . import bp
from .forms import ClosureForm, ClosureImportForm, GenerateForm, ScheduleForm


def _page(status: int = 200, **forms):  # type: ignore[no-untyped-def]
    session = db.session
    context = {
        "schedules": list(session.scalars(select(RehabSchedule).order_by(RehabSchedule.weekday))),
        "closures": list(session.scalars(select(RehabClosure).order_by(RehabClosure.start_date))),
        "schedule_form": forms.get("schedule_form")
        or ScheduleForm(formdata=None, valid_from=today_local()),
        "generate_form": forms.get("generate_form") or GenerateForm(formdata=None),
        "closure_form": forms.get("closure_form") or ClosureForm(formdata=None),
        "import_form": forms.get("import_form") or ClosureImportForm(formdata=None),
        "lead_days": settings().rehab.lead_days,
    }
    return render_template("planner/schedule.html", **context), status


@bp.route("/moeder")
def schedule():  # type: ignore[no-untyped-def]
    return _page()


@bp.route("/moeder/fast-moede", methods=["POST"])
def add_schedule():  # type: ignore[no-untyped-def]
    form = ScheduleForm()
    if not form.validate_on_submit():
        return _page(422, schedule_form=form)
    session = db.session
    begin_write(session)
    session.add(
        RehabSchedule(
            weekday=form.weekday.data,
            capacity=form.capacity.data,
            location=form.location.data or None,
            valid_from=form.valid_from.data,
        )
    )
    session.commit()
    flash(_("Det faste møde er gemt. Dan møderne for at se dem i planen."), "info")
    return redirect(url_for("planner.schedule"))


@bp.route("/moeder/dan", methods=["POST"])
def generate():  # type: ignore[no-untyped-def]
    form = GenerateForm()
    if not form.validate_on_submit():
        return _page(422, generate_form=form)
    session = db.session
    begin_write(session)
    result = generate_meetings(
        session,
        today_local(),
        form.weeks.data,
        optional_closed=tuple(settings().calendar.optional_closed),
    )
    session.commit()
    flash(
        _(
            "%(n)s møder er dannet; %(k)s dage sprunget over (helligdage og lukninger).",
            n=len(result.created),
            k=len(result.skipped),
        ),
        "info",
    )
    return redirect(url_for("planner.schedule"))


@bp.route("/moeder/lukning", methods=["POST"])
def add_closure():  # type: ignore[no-untyped-def]
    form = ClosureForm()
    if not form.validate_on_submit():
        return _page(422, closure_form=form)
    session = db.session
    begin_write(session)
    session.add(
        RehabClosure(
            start_date=form.start_date.data, end_date=form.end_date.data, reason=form.reason.data
        )
    )
    session.flush()
    removed = cancel_meetings_in_closures(session, today_local())
    session.commit()
    flash(_("Lukningen er gemt; %(n)s tomme møder i perioden er fjernet.", n=len(removed)), "info")
    return redirect(url_for("planner.schedule"))


@bp.route("/moeder/lukning/import", methods=["POST"])
def import_closure_file():  # type: ignore[no-untyped-def]
    form = ClosureImportForm()
    if not form.validate_on_submit():
        return _page(422, import_form=form)
    session = db.session
    begin_write(session)
    try:
        closures = import_closures(session, request.files["file"].read())
    except ClosureImportError as exc:
        session.rollback()
        form.file.errors = [exc.message_da]
        return _page(422, import_form=form)
    removed = cancel_meetings_in_closures(session, today_local())
    session.commit()
    flash(
        _(
            "%(n)s lukninger er importeret; %(k)s tomme møder er fjernet.",
            n=len(closures),
            k=len(removed),
        ),
        "info",
    )
    return redirect(url_for("planner.schedule"))
