"""JSON API for staff tools (session log-in; CSRF-exempt reads only so far).

A citizen outside the user's units (``services.access_scope``) is a 403 with the code
``purpose_required`` until a purpose for them is stated on their page (``lookup.purpose``) in
the same web session."""

from __future__ import annotations

from flask import abort, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...db import db
from ...services.access_scope import PurposeRequired, check_citizen
from ...services.citizens import obligations_for_staff
from ...services.errors import NotFound
from ..lookup.messages import scope_message
from ..lookup.purpose import has_purpose
from . import bp


@bp.before_request
def _scope() -> ResponseReturnValue | None:
    citizen_id = (request.view_args or {}).get("citizen_id")
    if citizen_id is None:
        return None
    try:
        check_citizen(db.session, current_user, citizen_id, purpose_stated=has_purpose(citizen_id))
    except NotFound:
        abort(404)
    except PurposeRequired as err:
        return jsonify(
            {"error": {"status": 403, "code": err.code, "message": scope_message(err)}}
        ), 403
    return None


@bp.route("/me")
def me() -> ResponseReturnValue:
    return jsonify({"username": current_user.username, "role": current_user.role.value})


@bp.route("/citizens/<int:citizen_id>/obligations")
def citizen_obligations(citizen_id: int) -> ResponseReturnValue:
    try:
        found = obligations_for_staff(db.session, citizen_id, viewer_id=current_user.staff_id)
    except NotFound:
        abort(404)
    citizen = found.citizen
    return jsonify(
        {
            "citizen": {"id": citizen.id, "cpr": citizen.cpr_masked, "name": citizen.name},
            "obligations": [
                {
                    "id": o.id,
                    "kind": o.kind,
                    "sequence": o.sequence,
                    "earliest": o.earliest.isoformat(),
                    "deadline": o.deadline.isoformat(),
                    "channels": o.channels,
                    "state": o.state.value,
                }
                for o in found.obligations
            ],
        }
    )
