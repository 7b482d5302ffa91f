"""JSON API for staff tools (session log-in; CSRF-exempt reads only so far)."""

from __future__ import annotations

from flask import abort, jsonify
from flask_login import current_user

from ...db import db
from ...models import ActorKind, Citizen
from ...services import audit
from ...services.obligations import open_obligations
from ..access import writes_audit
from . import bp


@bp.route("/me")
def me():  # type: ignore[no-untyped-def]
    return jsonify({"username": current_user.username, "role": current_user.role.value})


@bp.route("/citizens/<int:citizen_id>/obligations")
@writes_audit
def citizen_obligations(citizen_id: int):  # type: ignore[no-untyped-def]
    session = db.session
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        abort(404)
    audit.record(
        session,
        actor_kind=ActorKind.staff,
        actor_id=current_user.staff_id,
        action="api_obligations_viewed",
        citizen_id=citizen.id,
    )
    session.commit()
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
                for o in open_obligations(session, citizen.id)
            ],
        }
    )
