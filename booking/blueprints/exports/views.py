"""One route per exported page; ``?format=csv|xlsx`` (default xlsx) and ``?variant=da|en``
(default da: ``;``, decimal comma, ``dd-mm-åååå``; en: ``,``, ISO dates) choose the file."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import quote

from flask import Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...models import Role
from ...principal import StaffPrincipal
from ...services import exports
from ...services.clock import today_local
from ...services.errors import NotFound
from ...services.exports.indicator import indicator_export
from ...services.exports.lists import central_export, plan_export, weekly_export
from ...services.planning.errors import PlanningError
from ...services.timeliness import Forbidden
from ..bounds import database_id
from ..manager.params import read_choice
from ..plan.messages import reason_text, unplanned_texts
from . import bp

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])


def allowed(*roles: Role) -> Callable[[F], F]:
    """Only logged-in staff with one of ``roles`` (admin always) may fetch the export."""

    def wrap(view: F) -> F:
        @wraps(view)
        def check(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.kind != "staff" or not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, check)

    return wrap


def _user() -> StaffPrincipal:
    user: StaffPrincipal = current_user._get_current_object()
    return user


def _bad(detail: str) -> ResponseReturnValue:
    return render_template("errors/error.html", code=400, title=_("Forkert forespørgsel"),
                           text=_("Forespørgslen kunne ikke forstås."), detail=detail), 400


def _choice() -> tuple[exports.Format, exports.Variant] | str:
    fmt = request.args.get("format", "xlsx")
    variant = request.args.get("variant", "da")
    if fmt not in exports.FORMATS:
        return _("Vælg formatet csv eller xlsx.")
    if variant not in exports.VARIANTS:
        return _("Vælg varianten da (dansk Excel) eller en (engelsk).")
    return fmt, variant


def disposition(filename: str) -> str:
    """An attachment header with the plain name and its UTF-8 form (RFC 6266)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _send(export: exports.Export, fmt: exports.Format, variant: exports.Variant) -> Response:
    body, mimetype, filename = exports.render(export, fmt, variant)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = disposition(filename)
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a cache
    return response


@bp.get("/ugeliste")
@allowed(Role.caseworker, Role.manager)
def weekly() -> ResponseReturnValue:
    chosen = _choice()
    if isinstance(chosen, str):
        return _bad(chosen)
    try:
        export = weekly_export(
            db.session, settings(), today_local(),
            asked_id=request.args.get("caseworker", type=database_id),
            own_id=current_user.caseworker_id, own_only=current_user.role == Role.caseworker,
            staff_id=current_user.staff_id, variant=chosen[1],
        )
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    return _send(export, *chosen)


@bp.get("/central")
@allowed(Role.callin)
def central() -> ResponseReturnValue:
    chosen = _choice()
    if isinstance(chosen, str):
        return _bad(chosen)
    export = central_export(db.session, settings(), today_local(),
                            staff_id=current_user.staff_id, variant=chosen[1])
    return _send(export, *chosen)


@bp.get("/rettidighed")
@allowed(Role.manager)
def indicator() -> ResponseReturnValue:
    chosen = _choice()
    if isinstance(chosen, str):
        return _bad(chosen)
    period = read_choice(request.args)
    if period.error:
        return _bad(period.error)
    export = indicator_export(db.session, settings(), today_local(), weeks=period.weeks,
                              by=period.by, variant=chosen[1])
    return _send(export, *chosen)


@bp.get("/samtaleplan")
@allowed(Role.planner, Role.callin)
def plan() -> ResponseReturnValue:
    chosen = _choice()
    if isinstance(chosen, str):
        return _bad(chosen)
    try:
        export = plan_export(
            db.session, _user(), request.args.getlist("koersel"), settings(), today_local(),
            variant=chosen[1], move_reason=reason_text,
            unplanned_reason=lambda row: unplanned_texts(row)[0],
        )
    except (NotFound, PlanningError):
        abort(404)
    return _send(export, *chosen)
