"""The caseworker's own queue screen for today's group call-ins: who to talk to, mark done."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...models import Caseworker, Role
from ...services.callin import CallinError
from ...services.callin.desk import finish, queue_for
from ...services.callin.history import record_seen
from ...services.clock import now_utc, today_local
from ..access import writes_audit
from ..callin.messages import message
from . import bp


def _caseworker() -> Caseworker:
    caseworker_id = current_user.caseworker_id
    if current_user.role != Role.caseworker:
        caseworker_id = request.values.get("caseworker", type=int) or caseworker_id
    caseworker = db.session.get(Caseworker, caseworker_id) if caseworker_id else None
    if caseworker is None:
        abort(404)
    return caseworker


@bp.route("/koe")
@writes_audit
def queue():  # type: ignore[no-untyped-def]
    caseworker = _caseworker()
    views = queue_for(db.session, caseworker.id, today_local())
    record_seen(
        db.session,
        current_user.staff_id,
        "callin_queue_view",
        [v.current.citizen_id for v in views if v.current],
        object_type="caseworker_queue",
        object_id=caseworker.id,
    )
    db.session.commit()
    return render_template("caseworker/queue.html", caseworker=caseworker, views=views)


@bp.route("/koe/<int:invitation_id>/faerdig", methods=["POST"])
def queue_done(invitation_id: int):  # type: ignore[no-untyped-def]
    caseworker = _caseworker()
    try:
        nxt = finish(
            db.session,
            invitation_id,
            now=now_utc(),
            staff_id=current_user.staff_id,
            caseworker_id=caseworker.id,
        )
    except CallinError as err:
        db.session.rollback()
        flash(message(err), "error")
    else:
        text = _("Samtalen er registreret som afholdt.")
        if nxt is not None:
            text += " " + _("Din næste borger er %(name)s.", name=nxt.invitation.citizen.name)
        db.session.commit()
        flash(text, "success")
    args = {} if current_user.role == Role.caseworker else {"caseworker": caseworker.id}
    return redirect(url_for("caseworker.queue", **args))
