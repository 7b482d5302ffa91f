"""The caseworker's weekly list: overdue, due within 3 weeks, timely; each row links to the
citizen's page."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...models import Role
from ...services.clock import today_local
from ...services.errors import NotFound
from ...services.timeliness import Forbidden, weekly_page
from ..bounds import database_id
from . import bp


@bp.route("/")
def home() -> ResponseReturnValue:
    try:
        page = weekly_page(
            db.session,
            settings().rules,
            today_local(),
            asked_id=request.args.get("caseworker", type=database_id),
            own_id=current_user.caseworker_id,
            own_only=current_user.role == Role.caseworker,
            indicator_months=settings().callin.indicator_months,
            viewer_staff_id=current_user.staff_id,
        )
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    return render_template("caseworker/home.html", caseworker=page.caseworker, weekly=page.weekly,
                           choices=page.choices)
