"""Role checks, applied in each blueprint's ``before_request``."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..models import Role


def staff_only(bp: Blueprint, *roles: Role) -> None:
    """Only logged-in staff with one of ``roles`` (admin always) may enter ``bp``."""

    @bp.before_request
    def _check() -> ResponseReturnValue | None:
        if not current_user.is_authenticated:
            if request.path.startswith("/api/"):
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if current_user.kind != "staff" or not current_user.has_role(*roles):
            abort(403)
        return None


def citizen_only(bp: Blueprint) -> None:
    """Only a citizen who came in through a personal link may enter ``bp``."""

    @bp.before_request
    def _check() -> ResponseReturnValue | None:
        if not current_user.is_authenticated:
            abort(401)
        if current_user.kind != "citizen":
            abort(403)
        return None
