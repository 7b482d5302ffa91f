"""The check-in desk on the day: mark arrivals, hand them to the pool, close the window."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...models import Invitation
from ...services.callin import CallinError
from ...services.callin.desk import board, check_in, close_window, finish
from ...services.callin.figures import session_figures
from ...services.callin.history import record_seen
from ...services.clock import now_utc
from ..access import writes_audit
from . import bp
from .messages import message
from .views import callin_settings, get_session_or_404


def _back(session_id: int):  # type: ignore[no-untyped-def]
    q = request.form.get("q", "").strip()
    return redirect(url_for("callin.desk", session_id=session_id, q=q or None))


@bp.route("/<int:session_id>/skranke")
@writes_audit
def desk(session_id: int):  # type: ignore[no-untyped-def]
    gs = get_session_or_404(session_id)
    q = request.args.get("q", "")[:60]
    b = board(db.session, gs, name_filter=q)
    now = now_utc()
    shown = [i.citizen_id for i in (*b.invited, *b.waiting, *b.in_progress)]
    record_seen(
        db.session,
        current_user.staff_id,
        "callin_desk_view",
        shown,
        object_type="group_session",
        object_id=gs.id,
    )
    db.session.commit()
    return render_template(
        "callin/desk.html",
        gs=gs,
        b=b,
        q=q,
        figures=session_figures(gs, now),
        window_over=now >= gs.ends_at,
    )


@bp.route("/<int:session_id>/skranke/<int:invitation_id>/moedt", methods=["POST"])
def arrive(session_id: int, invitation_id: int):  # type: ignore[no-untyped-def]
    get_session_or_404(session_id)
    inv = db.session.get(Invitation, invitation_id)
    if inv is None or inv.session_id != session_id:
        flash(_("Indkaldelsen findes ikke."), "error")
        return _back(session_id)
    try:
        result = check_in(
            db.session,
            invitation_id,
            callin_settings(),
            now=now_utc(),
            staff_id=current_user.staff_id,
        )
    except CallinError as err:
        db.session.rollback()
        flash(message(err), "error")
        return _back(session_id)
    name = result.invitation.citizen.name
    db.session.commit()
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
def done(session_id: int, invitation_id: int):  # type: ignore[no-untyped-def]
    get_session_or_404(session_id)
    inv = db.session.get(Invitation, invitation_id)
    if inv is None or inv.session_id != session_id:
        flash(_("Indkaldelsen findes ikke."), "error")
        return _back(session_id)
    try:
        nxt = finish(db.session, invitation_id, now=now_utc(), staff_id=current_user.staff_id)
    except CallinError as err:
        db.session.rollback()
        flash(message(err), "error")
        return _back(session_id)
    text = _("Samtalen er registreret som afholdt.")
    if nxt is not None:
        text += " " + _(
            "Send %(name)s til %(cw)s.", name=nxt.invitation.citizen.name, cw=nxt.caseworker.name
        )
    db.session.commit()
    flash(text, "success")
    return _back(session_id)


@bp.route("/<int:session_id>/luk", methods=["POST"])
def close(session_id: int):  # type: ignore[no-untyped-def]
    get_session_or_404(session_id)
    try:
        missing = close_window(
            db.session,
            session_id,
            callin_settings(),
            now=now_utc(),
            staff_id=current_user.staff_id,
            early=request.form.get("early") == "1",
        )
    except CallinError as err:
        db.session.rollback()
        flash(message(err), "error")
        return _back(session_id)
    db.session.commit()
    flash(
        _("Indkaldet er lukket. %(n)s udeblevne er sat på ringelisten.", n=len(missing)),
        "success",
    )
    return redirect(url_for("callin.phone_list"))
