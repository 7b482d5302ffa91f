"""JSON API for staff tools (session log-in; CSRF-exempt reads only so far)."""

from __future__ import annotations

from flask import abort, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...db import db
from ...services.citizens import obligations_for_staff
from ...services.errors import NotFound
from . import bp


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
