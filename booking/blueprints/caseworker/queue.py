"""The caseworker's own queue screen for today's group call-ins: who to talk to, mark done.

The screen refreshes by itself (static/live.js): it polls ``queue_status``, a fingerprint of
the queue without any citizen in it, and fetches the queue (``queue_board``, a page about
citizens, counted and audited) only when the fingerprint changed.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...models import Role
from ...services.callin import CallinError
from ...services.callin.board import queue_version
from ...services.callin.desk import finish
from ...services.callin.list_pages import queue_page
from ...services.clock import now_utc, today_local
from ...services.errors import NotFound
from ...services.law.context import LawConfig
from ..bounds import database_id
from ..callin.messages import message
from . import bp

LIVE_POLL_MS = 5000  # how often the open queue asks whether it changed


def _caseworker_id() -> int:
    """Whose queue: the caseworker's own; a manager (or admin) names one in ``caseworker``."""
    caseworker_id: int | None = current_user.caseworker_id
    if current_user.role != Role.caseworker:
        caseworker_id = request.values.get("caseworker", type=database_id) or caseworker_id
    if not caseworker_id:
        abort(404)
    return caseworker_id


def _own_args(caseworker_id: int) -> dict[str, int]:
    """The query naming whose queue, for a manager looking at a caseworker's."""
    return {} if current_user.role == Role.caseworker else {"caseworker": caseworker_id}


def _queue(template: str) -> ResponseReturnValue:
    caseworker_id = _caseworker_id()
    try:
        page = queue_page(
            db.session, caseworker_id, staff_id=current_user.staff_id, today=today_local()
        )
    except NotFound:
        abort(404)
    response = make_response(
        render_template(
            template,
            caseworker=page.caseworker,
            views=page.views,
            version=page.version,
            poll_ms=LIVE_POLL_MS,
            own_args=_own_args(caseworker_id),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Live-Version"] = page.version
    return response


@bp.route("/koe")
def queue() -> ResponseReturnValue:
    return _queue("caseworker/queue.html")


@bp.route("/koe/tavle")
def queue_board() -> ResponseReturnValue:
    """The queue alone, for the open page to swap in when it changed."""
    return _queue("caseworker/_queue_board.html")


@bp.route("/koe/status")
def queue_status() -> ResponseReturnValue:
    """The queue's fingerprint (no citizen in it), polled by the open page."""
    response = jsonify({"version": queue_version(db.session, _caseworker_id(), today_local())})
    response.headers["Cache-Control"] = "no-store"
    return response


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
