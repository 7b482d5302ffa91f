"""The caseworker's own queue screen for today's group call-ins: who to talk to, mark done."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...models import Role
from ...services.callin import CallinError
from ...services.callin.desk import finish
from ...services.callin.list_pages import queue_page
from ...services.clock import now_utc, today_local
from ...services.errors import NotFound
from ...services.law.context import LawConfig
from ..bounds import database_id
from ..callin.messages import message
from . import bp


def _caseworker_id() -> int:
    """Whose queue: the caseworker's own; a manager (or admin) names one in ``caseworker``."""
    caseworker_id: int | None = current_user.caseworker_id
    if current_user.role != Role.caseworker:
        caseworker_id = request.values.get("caseworker", type=database_id) or caseworker_id
    if not caseworker_id:
        abort(404)
    return caseworker_id


@bp.route("/koe")
def queue() -> ResponseReturnValue:
    try:
        page = queue_page(
            db.session, _caseworker_id(), staff_id=current_user.staff_id, today=today_local()
        )
    except NotFound:
        abort(404)
    return render_template("caseworker/queue.html", caseworker=page.caseworker, views=page.views)


@bp.route("/koe/<int:invitation_id>/faerdig", methods=["POST"])
def queue_done(invitation_id: int) -> ResponseReturnValue:
    caseworker_id = _caseworker_id()
    try:
        nxt = finish(
            db.session,
            invitation_id,
            now=now_utc(),
            staff_id=current_user.staff_id,
            caseworker_id=caseworker_id,
            law=LawConfig.from_settings(settings()),
        )
    except NotFound:
        abort(404)
    except CallinError as err:
        flash(message(err), "error")
    else:
        text = _("Samtalen er registreret som afholdt.")
        if nxt is not None:
            text += " " + _("Din næste borger er %(name)s.", name=nxt.invitation.citizen.name)
        flash(text, "success")
    if current_user.role == Role.caseworker:
        return redirect(url_for("caseworker.queue"))
    return redirect(url_for("caseworker.queue", caseworker=caseworker_id))
