"""The citizen's own pages (reached only through a personal link)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user

from ...db import db
from ...models import ActorKind, Citizen
from ...services import audit
from ...services.citizen_view import citizen_overview
from . import bp


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    session = db.session
    citizen = session.get(Citizen, current_user.citizen_id)
    settings = current_app.config["RETTIDIG"]
    overview = citizen_overview(session, citizen, settings)
    audit.record(
        session,
        actor_kind=ActorKind.citizen,
        actor_id=citizen.id,
        action="citizen_viewed_own",
        citizen_id=citizen.id,
    )
    session.commit()
    return render_template("citizen/home.html", citizen=citizen, overview=overview)
