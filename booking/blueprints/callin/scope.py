"""The call-in room's pages by id, limited to the viewer's units (``services.access_scope``).

Call-in staff attached to a unit read that unit's citizens; the central call-in (no unit)
reads every unit. The central booking page of another unit's obligation shows the purpose form
for its citizen (GET, 403; the purpose is stated on ``lookup.purpose`` and then opens the
citizen in this web session, here too); a change is a 403. Another unit's group call-in
session (its invitees, its desk) is a 403: no purpose opens a list of citizens.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...services.access_scope import (
    OtherUnit,
    PurposeRequired,
    check_group_session,
    obligation_citizen,
)
from ...services.errors import NotFound
from ..lookup.forms import PurposeForm
from ..lookup.messages import scope_message
from ..lookup.purpose import has_purpose
from . import bp


@bp.before_request
def _scope() -> ResponseReturnValue | None:
    args = request.view_args or {}
    try:
        if "obligation_id" in args:
            found = obligation_citizen(db.session, current_user, args["obligation_id"])
            if not found.in_scope and not has_purpose(found.citizen.id):
                return _purpose_form(found.citizen.id)
        if "session_id" in args:
            check_group_session(db.session, current_user, args["session_id"])
    except NotFound:
        return None  # the page's own 404
    except OtherUnit as err:
        page = render_template(
            "errors/error.html", code=403, title=_("Ingen adgang"), text=scope_message(err)
        )
        return page, 403
    return None


def _purpose_form(citizen_id: int) -> ResponseReturnValue:
    if request.method != "GET":
        abort(403)
    page = render_template(
        "lookup/purpose.html",
        form=PurposeForm(formdata=None),
        citizen_id=citizen_id,
        notice=scope_message(PurposeRequired()),
        minutes=settings().security.citizen_purpose_minutes,
    )
    return page, 403
