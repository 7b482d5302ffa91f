"""The caseworker's calendar feed page: the secret address (to its owner only) and a button
that makes a new one (the old address stops working at once)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...services.clock import today_local
from ...services.errors import NotFound
from ...services.staff_time.feed import feed_page, rotate_token
from .time import asked_caseworker, current_editor, no_caseworker_page, picker, time_bp
from .time_forms import ButtonForm


@time_bp.route("/kalenderfeed")
def feed() -> ResponseReturnValue:
    if asked_caseworker() is None and current_user.caseworker_id is None:
        return no_caseworker_page("staff_time.feed")
    editor = current_editor()
    page = feed_page(db.session, editor.caseworker, own=editor.own, today=today_local())
    url = (url_for("feed.calendar", token=page.token, _external=True)
           if page.token is not None else None)
    return render_template("caseworker/feed.html", editor=editor, page=page, url=url,
                           caseworkers=picker(), button=ButtonForm())


@time_bp.route("/kalenderfeed/ny", methods=["POST"])
def feed_rotate() -> ResponseReturnValue:
    editor = current_editor()
    if not ButtonForm().validate_on_submit():
        flash(_("Knappen kunne ikke bruges. Genindlæs siden, og prøv igen."), "error")
    else:
        try:
            rotate_token(db.session, editor.caseworker.id, staff_id=current_user.staff_id)
        except NotFound:
            abort(404)
        flash(_("Kalenderfeedet har fået en ny adresse. Den gamle adresse virker ikke længere."),
              "success")
    return redirect(url_for("staff_time.feed", caseworker=asked_caseworker()))
