"""Find a citizen by CPR number (through the keyed hash; the number is never stored)."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...services.citizens import find_by_cpr
from ...services.security import CprError
from . import bp
from .forms import CprSearchForm
from .messages import message


@bp.route("/", methods=["GET", "POST"])
def search() -> ResponseReturnValue:
    form = CprSearchForm()
    citizen, error, status = None, None, 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                citizen = find_by_cpr(
                    db.session,
                    form.cpr.data or "",
                    settings().security.cpr_hash_key,
                    viewer_id=current_user.staff_id,
                )
            except CprError as exc:
                error = message(exc)
            else:
                status = 200 if citizen else 404
                if citizen is None:
                    error = _("Der findes ingen borger med det CPR-nummer.")
        form.cpr.data = ""  # never echo the number back into the page
    if error:
        form.cpr.errors = [*form.cpr.errors, error]
    return render_template("lookup/search.html", form=form, citizen=citizen), status
