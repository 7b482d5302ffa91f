"""Meeting schedule, generated meetings and closures (typed in or imported from .ics)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ...db import db
from ...extensions import settings
from ...services.clock import today_local
from ...services.rehab import planning
from ...services.rehab.schedule import ClosureImportError
from . import bp
from .forms import ClosureForm, ClosureImportForm, GenerateForm, ScheduleForm
from .messages import message


def _page(status: int = 200, **forms: FlaskForm) -> ResponseReturnValue:
    page = planning.schedule_page(db.session)
    return render_template(
        "planner/schedule.html",
        schedules=page.schedules,
        closures=page.closures,
        schedule_form=forms.get("schedule_form")
        or ScheduleForm(formdata=None, valid_from=today_local()),
        generate_form=forms.get("generate_form") or GenerateForm(formdata=None),
        closure_form=forms.get("closure_form") or ClosureForm(formdata=None),
        import_form=forms.get("import_form") or ClosureImportForm(formdata=None),
        lead_days=settings().rehab.lead_days,
        out_of_date=page.out_of_date,
    ), status


@bp.route("/moeder")
def schedule() -> ResponseReturnValue:
    return _page()


@bp.route("/moeder/fast-moede", methods=["POST"])
def add_schedule() -> ResponseReturnValue:
    form = ScheduleForm()
    if not form.validate_on_submit():
        return _page(422, schedule_form=form)
    planning.add_schedule(
        db.session,
        weekday=form.weekday.data,
        capacity=form.capacity.data,
        location=form.location.data,
        valid_from=form.valid_from.data,
        staff_id=current_user.staff_id,
    )
    flash(_("Det faste møde er gemt. Dan møderne for at se dem i planen."), "info")
    return redirect(url_for("planner.schedule"))


@bp.route("/moeder/dan", methods=["POST"])
def generate() -> ResponseReturnValue:
    form = GenerateForm()
    if not form.validate_on_submit():
        return _page(422, generate_form=form)
    result = planning.generate(
        db.session,
        weeks=form.weeks.data,
        today=today_local(),
        optional_closed=settings().calendar.optional_closed,
        staff_id=current_user.staff_id,
    )
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
def add_closure() -> ResponseReturnValue:
    form = ClosureForm()
    if not form.validate_on_submit():
        return _page(422, closure_form=form)
    result = planning.add_closure(
        db.session,
        start=form.start_date.data,
        end=form.end_date.data,
        reason=form.reason.data,
        today=today_local(),
        staff_id=current_user.staff_id,
    )
    flash(
        _("Lukningen er gemt; %(n)s tomme møder i perioden er fjernet.", n=len(result.removed)),
        "info",
    )
    return redirect(url_for("planner.schedule"))


@bp.route("/moeder/lukning/import", methods=["POST"])
def import_closure_file() -> ResponseReturnValue:
    form = ClosureImportForm()
    if not form.validate_on_submit():
        return _page(422, import_form=form)
    try:
        result = planning.import_closure_file(
            db.session,
            request.files["file"].read(),
            today=today_local(),
            staff_id=current_user.staff_id,
        )
    except ClosureImportError as err:
        form.file.errors = [message(err)]
        return _page(422, import_form=form)
    flash(
        _(
            "%(n)s lukninger er importeret; %(k)s tomme møder er fjernet.",
            n=len(result.closures),
            k=len(result.removed),
        ),
        "info",
    )
    return redirect(url_for("planner.schedule"))
