"""Absences: entered by date (and time) or imported from an ``.ics`` file; each absence's page
lists the booked conversations and call-in shifts inside it, and one button hands the
conversations to re-planning (cancelled by the job centre, the citizens told, the unit's plan
redone)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...services.clock import now_utc
from ...services.errors import NotFound, ServiceError
from ...services.staff_time.absences import (
    absence_page,
    add_absence,
    delete_absence,
    hand_over,
    import_absences,
    list_absences,
    window,
)
from ..bounds import MAX_ID
from .messages import CHANNEL_LABELS
from .time import asked_caseworker, current_editor, no_caseworker_page, picker, time_bp
from .time_forms import AbsenceForm, AbsenceImportForm, ButtonForm
from .time_messages import message

ABSENCE = f"<int(min=1, max={MAX_ID}):absence_id>"
MAX_UPLOAD = 2 * 1024 * 1024


def _list(form: AbsenceForm | None = None, upload: AbsenceImportForm | None = None,
          status: int = 200) -> ResponseReturnValue:
    editor = current_editor()
    return render_template(
        "caseworker/absences.html", editor=editor, caseworkers=picker(),
        absences=list_absences(db.session, editor.caseworker.id, now_utc()),
        form=form or AbsenceForm(formdata=None), upload=upload or AbsenceImportForm(formdata=None),
        button=ButtonForm(formdata=None), channel_labels=CHANNEL_LABELS,
    ), status


def _there(absence_id: int | None = None) -> ResponseReturnValue:
    if absence_id is None:
        return redirect(url_for("staff_time.absences", caseworker=asked_caseworker()))
    return redirect(url_for("staff_time.absence", absence_id=absence_id,
                            caseworker=asked_caseworker()))


@time_bp.route("/fravaer", methods=["GET", "POST"])
def absences() -> ResponseReturnValue:
    if asked_caseworker() is None and current_user.caseworker_id is None:
        return no_caseworker_page("staff_time.absences")
    editor = current_editor()
    form = AbsenceForm()
    if not form.is_submitted():
        return _list()
    if not form.validate():
        return _list(form=form, status=422)
    assert form.first_day.data is not None and form.last_day.data is not None
    try:
        start, end = window(form.first_day.data, form.first_time.data, form.last_day.data,
                            form.last_time.data)
        absence_id = add_absence(db.session, editor.caseworker.id, start, end,
                                 form.reason.data, staff_id=current_user.staff_id)
    except ServiceError as err:
        flash(message(err), "error")
        return _list(form=form, status=422)
    flash(_("Fraværet er gemt. Ledige tider i perioden er lukket."), "success")
    return _there(absence_id)


@time_bp.route("/fravaer/import", methods=["POST"])
def absences_import() -> ResponseReturnValue:
    editor = current_editor()
    upload = AbsenceImportForm()
    if not upload.validate_on_submit():
        return _list(upload=upload, status=422)
    data = upload.file.data.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        flash(_("Filen er for stor (højst 2 MB)."), "error")
        return _list(upload=upload, status=422)
    try:
        result = import_absences(db.session, editor.caseworker.id, data,
                                 staff_id=current_user.staff_id)
    except ServiceError as err:
        flash(message(err), "error")
        return _list(upload=upload, status=422)
    flash(_("Importeret: %(created)s nye, %(updated)s ændrede og %(unchanged)s uændrede "
            "fravær.", created=result.created, updated=result.updated,
            unchanged=result.unchanged), "success")
    if result.affected:
        flash(ngettext("%(num)s booket samtale ligger i fraværet. Se listen nedenfor.",
                       "%(num)s bookede samtaler ligger i fraværet. Se listen nedenfor.",
                       result.affected), "warning")
    return _there()


@time_bp.route(f"/fravaer/{ABSENCE}")
def absence(absence_id: int) -> ResponseReturnValue:
    editor = current_editor()
    try:
        page = absence_page(db.session, editor.caseworker.id, absence_id)
    except NotFound:
        abort(404)
    return render_template("caseworker/absence.html", editor=editor, absence=page,
                           button=ButtonForm(), channel_labels=CHANNEL_LABELS)


@time_bp.route(f"/fravaer/{ABSENCE}/genplanlaeg", methods=["POST"])
def absence_hand_over(absence_id: int) -> ResponseReturnValue:
    editor = current_editor()
    if not ButtonForm().validate_on_submit():
        flash(_("Knappen kunne ikke bruges. Genindlæs siden, og prøv igen."), "error")
        return _there(absence_id)
    try:
        done = hand_over(db.session, editor.caseworker.id, absence_id,
                         staff_id=current_user.staff_id, settings=settings())
    except NotFound:
        abort(404)
    flash(ngettext("%(num)s samtale er aflyst og sendt til genplanlægning. Borgeren får besked.",
                   "%(num)s samtaler er aflyst og sendt til genplanlægning. Borgerne får besked.",
                   len(done.cancelled)), "success")
    if done.replan_refused:
        flash(_("Genplanlægningen kunne ikke startes nu; nattens planlægning tager samtalerne."),
              "warning")
    return _there(absence_id)


@time_bp.route(f"/fravaer/{ABSENCE}/slet", methods=["POST"])
def absence_delete(absence_id: int) -> ResponseReturnValue:
    editor = current_editor()
    if not ButtonForm().validate_on_submit():
        flash(_("Knappen kunne ikke bruges. Genindlæs siden, og prøv igen."), "error")
        return _there()
    try:
        delete_absence(db.session, editor.caseworker.id, absence_id,
                       staff_id=current_user.staff_id)
    except NotFound:
        abort(404)
    flash(_("Fraværet er slettet. Gem arbejdstiden igen for at udgive tiderne i perioden."),
          "success")
    return _there()
