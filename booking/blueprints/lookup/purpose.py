"""Another unit's citizen: the purpose ("Formål") asked before the page, and the web session's
memory of the purposes stated.

Every route of this blueprint with a ``citizen_id`` passes :func:`_scope` first (after the
role check): a citizen outside the viewer's units (``services.access_scope``) without a purpose
stated in this web session gets the purpose form (GET, 403) or a 403 (a change). The purpose is
written to the audit trail and kept in the signed session cookie for that one citizen for
``[security] citizen_purpose_minutes``; logging out ends it.
"""

from __future__ import annotations

import time

from flask import abort, redirect, render_template, request, url_for
from flask import session as web_session
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...services.access_scope import PurposeRequired, check_citizen, state_purpose
from ...services.errors import NotFound, ServiceError
from . import bp
from .forms import MAX_ID, PurposeForm
from .messages import scope_message

PURPOSES = "citizen_purposes"  # session key: {citizen id: end of the purpose, epoch seconds}
MOST_KEPT = 50  # the session cookie stays small: the purposes ending last are kept


def _live_purposes() -> dict[str, float]:
    now = time.time()
    kept = web_session[PURPOSES] if PURPOSES in web_session else {}
    return {k: float(v) for k, v in kept.items() if isinstance(v, int | float) and v > now}


def has_purpose(citizen_id: int) -> bool:
    """Has a purpose been stated for the citizen in this web session, and not yet run out?"""
    return str(citizen_id) in _live_purposes()


def remember_purpose(citizen_id: int) -> None:
    live = _live_purposes()
    live[str(citizen_id)] = time.time() + settings().security.citizen_purpose_minutes * 60
    newest = sorted(live.items(), key=lambda item: item[1])[-MOST_KEPT:]
    web_session[PURPOSES] = dict(newest)


def _purpose_page(citizen_id: int, form: PurposeForm, notice: str) -> str:
    return render_template(
        "lookup/purpose.html",
        form=form,
        citizen_id=citizen_id,
        notice=notice,
        minutes=settings().security.citizen_purpose_minutes,
    )


@bp.before_request
def _scope() -> ResponseReturnValue | None:
    citizen_id = (request.view_args or {}).get("citizen_id")
    if citizen_id is None or request.endpoint == "lookup.purpose":
        return None
    try:
        check_citizen(db.session, current_user, citizen_id, purpose_stated=has_purpose(citizen_id))
    except NotFound:
        abort(404)
    except PurposeRequired as err:
        if request.method != "GET":
            abort(403)
        return _purpose_page(citizen_id, PurposeForm(formdata=None), scope_message(err)), 403
    return None


@bp.post(f"/<int(min=1, max={MAX_ID}):citizen_id>/formaal")
def purpose(citizen_id: int) -> ResponseReturnValue:
    form = PurposeForm()
    if form.validate_on_submit():
        try:
            state_purpose(db.session, current_user.staff_id, citizen_id, form.purpose.data or "")
        except NotFound:
            abort(404)
        except ServiceError as err:
            form.purpose.errors = [*form.purpose.errors, scope_message(err)]
        else:
            remember_purpose(citizen_id)
            return redirect(url_for("lookup.citizen", citizen_id=citizen_id))
    notice = scope_message(PurposeRequired())
    return _purpose_page(citizen_id, form, notice), 422
