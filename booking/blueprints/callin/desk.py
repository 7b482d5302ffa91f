"""The check-in desk on the day: mark arrivals (and undo one made by mistake), hand them to
the pool, close the window.

The board refreshes by itself (static/live.js): the page polls ``desk_status``, a fingerprint
of the board without any citizen in it, and fetches the board (``desk_board``, a page about
citizens, counted and audited) only when the fingerprint changed.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...services.callin import CallinError
from ...services.callin.board import board_version
from ...services.callin.desk import check_in, close_window, finish, undo_check_in
from ...services.callin.pages import desk_page
from ...services.clock import now_utc
from ...services.errors import NotFound
from ...services.law.context import LawConfig
from . import bp
from .messages import message
from .views import callin_settings


def _back(session_id: int) -> ResponseReturnValue:
    q = request.form.get("q", "").strip()
    return redirect(url_for("callin.desk", session_id=session_id, q=q or None))


LIVE_POLL_MS = 5000  # how often the open desk asks whether its board changed


def _desk(session_id: int, template: str) -> ResponseReturnValue:
    q = request.args.get("q", "")[:60]
    now = now_utc()
    try:
        page = desk_page(
            db.session,
            session_id,
            callin_settings(),
            staff_id=current_user.staff_id,
            name_filter=q,
            now=now,
        )
    except NotFound:
        abort(404)
    response = make_response(
        render_template(
            template,
            gs=page.group_session,
            b=page.board,
            q=q,
            figures=page.figures,
            window_over=page.window_over,
            checkin_open=page.checkin_open,
            checkin_opens=page.checkin_opens,
            version=page.version,
            poll_ms=LIVE_POLL_MS,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Live-Version"] = page.version
    return response


@bp.route("/<int:session_id>/skranke")
def desk(session_id: int) -> ResponseReturnValue:
    return _desk(session_id, "callin/desk.html")


@bp.route("/<int:session_id>/skranke/tavle")
def desk_board(session_id: int) -> ResponseReturnValue:
    """The board alone, for the desk page to swap in when it changed."""
    return _desk(session_id, "callin/_desk_board.html")


@bp.route("/<int:session_id>/skranke/status")
def desk_status(session_id: int) -> ResponseReturnValue:
    """The board's fingerprint (no citizen in it), polled by the open desk."""
    version = board_version(db.session, session_id, callin_settings(), now=now_utc())
    if version is None:
        abort(404)
    response = jsonify({"version": version})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:session_id>/skranke/<int:invitation_id>/fortryd", methods=["POST"])
def undo_arrival(session_id: int, invitation_id: int) -> ResponseReturnValue:
    try:
        result = undo_check_in(
            db.session,
            invitation_id,
            callin_settings(),
            now=now_utc(),
            staff_id=current_user.staff_id,
            session_id=session_id,
        )
    except NotFound:
        abort(404)
    except CallinError as err:
        flash(message(err), "error")
        return _back(session_id)
    text = _(
        "Fremmødet for %(name)s er fortrudt. Borgeren står igen som ikke mødt.",
        name=result.invitation.citizen.name,
    )
    if result.handed_over is not None:
        text += " " + _(
            "Send %(name)s til %(cw)s.",
            name=result.handed_over.invitation.citizen.name,
            cw=result.handed_over.caseworker.name,
        )
    flash(text, "success")
    return _back(session_id)


@bp.route("/<int:session_id>/skranke/<int:invitation_id>/moedt", methods=["POST"])
def arrive(session_id: int, invitation_id: int) -> ResponseReturnValue:
    try:
        result = check_in(
            db.session,
            invitation_id,
            callin_settings(),
            now=now_utc(),
            staff_id=current_user.staff_id,
            session_id=session_id,
        )
    except NotFound:
        abort(404)
    except CallinError as err:
        flash(message(err), "error")
        return _back(session_id)
    name = result.invitation.citizen.name
    if result.caseworker is not None:
        flash(
            _("%(name)s er mødt. Send borgeren til %(cw)s.", name=name, cw=result.caseworker.name),
            "success",
        )
    else:
        flash(
            _(
                "%(name)s er mødt og venter på næste ledige sagsbehandler (%(n)s foran i køen).",
                name=name,
                n=result.waiting_ahead,
            ),
            "success",
        )
    return _back(session_id)


@bp.route("/<int:session_id>/skranke/<int:invitation_id>/faerdig", methods=["POST"])
def done(session_id: int, invitation_id: int) -> ResponseReturnValue:
    try:
        nxt = finish(
            db.session,
            invitation_id,
            now=now_utc(),
            staff_id=current_user.staff_id,
            session_id=session_id,
            law=LawConfig.from_settings(settings()),
        )
    except NotFound:
        abort(404)
    except CallinError as err:
        flash(message(err), "error")
        return _back(session_id)
    text = _("Samtalen er registreret som afholdt.")
    if nxt is not None:
        text += " " + _(
            "Send %(name)s til %(cw)s.", name=nxt.invitation.citizen.name, cw=nxt.caseworker.name
        )
    flash(text, "success")
    return _back(session_id)


@bp.route("/<int:session_id>/luk", methods=["POST"])
def close(session_id: int) -> ResponseReturnValue:
    try:
        missing = close_window(
            db.session,
            session_id,
            callin_settings(),
            now=now_utc(),
            staff_id=current_user.staff_id,
            early=request.form.get("early") == "1",
        )
    except NotFound:
        abort(404)
    except CallinError as err:
        flash(message(err), "error")
        return _back(session_id)
    flash(
        _("Indkaldet er lukket. %(n)s udeblevne er sat på ringelisten.", n=len(missing)),
        "success",
    )
    return redirect(url_for("callin.phone_list"))
