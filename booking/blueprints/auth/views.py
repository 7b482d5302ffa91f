"""Staff log-in, citizens' personal links, log-out and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as web_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ...db import db
from ...extensions import (
    LOCALES,
    client_address,
    limiter,
    login_username_key,
    reset_login_username_limits,
    settings,
)
from ...models import Role
from ...services import accounts
from ...services.health import database_reachable
from ...services.security import LinkError
from . import bp
from .forms import LoginForm
from .messages import message

HOME_BY_ROLE = {
    Role.caseworker: "caseworker.home",
    Role.callin: "callin.home",
    Role.planner: "planner.home",
    Role.manager: "manager.home",
    Role.admin: "admin.home",
    Role.citizen: "citizen.home",
}


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _new_web_session() -> None:
    """Start a fresh web session (no session fixation), keeping the chosen language."""
    lang = web_session.pop("lang", None)
    web_session.clear()
    if lang:
        web_session["lang"] = lang


def _login_limit() -> str:
    return settings().security.login_rate_limit


def _login_address_limit() -> str:
    return settings().security.login_rate_limit_per_address


def _login_failed(response: Response) -> bool:
    return response.status_code != 302  # a log-in that succeeded redirects


@bp.route("/")
def index() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for(HOME_BY_ROLE[current_user.role]))
    return render_template("auth/index.html")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, key_func=login_username_key, methods=["POST"])
@limiter.limit(
    _login_address_limit, key_func=client_address, methods=["POST"], deduct_when=_login_failed
)
def login() -> ResponseReturnValue:
    form = LoginForm()
    if form.validate_on_submit():
        principal = accounts.log_in(
            db.session,
            current_app.extensions["passwords"],
            form.username.data or "",
            form.password.data or "",
        )
        if principal is None:
            form.password.errors.append(_("Forkert brugernavn eller adgangskode."))
        else:
            web_session.clear()
            login_user(principal)
            reset_login_username_limits()
            target = _safe_next(request.args.get("next"))
            return redirect(target or url_for(HOME_BY_ROLE[principal.role]))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/b/<token>")
def citizen_link(token: str) -> ResponseReturnValue:
    cfg = settings()
    try:
        principal = accounts.open_citizen_link(
            db.session,
            cfg.app.secret_key,
            token,
            cfg.security.citizen_link_days,
        )
    except LinkError as exc:
        return render_template("auth/link_error.html", message=message(exc)), 403
    _new_web_session()
    login_user(principal)
    return redirect(url_for("citizen.home"))


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """End every session of this person (the server-side session version rises, so a copy of
    the cookie is worthless too), then this browser's."""
    if current_user.is_authenticated:
        accounts.log_out(db.session, current_user._get_current_object())
    logout_user()
    _new_web_session()
    flash(_("Du er logget ud."), "info")
    return redirect(url_for("auth.index"))


@bp.route("/sprog/<code>")
def set_language(code: str) -> ResponseReturnValue:
    if code in LOCALES:
        web_session["lang"] = code
    return redirect(_safe_next(request.args.get("next")) or url_for("auth.index"))


@bp.route("/health")
def health() -> ResponseReturnValue:
    """Liveness: 200 whenever this process answers, with the database's state beside it
    (``{"status": "up", "database": "reachable" | "unreachable"}``); a process that is up
    while the database is not should not be restarted."""
    reachable = database_reachable(db.session)
    return {"status": "up", "database": "reachable" if reachable else "unreachable"}


@bp.route("/health/ready")
def ready() -> ResponseReturnValue:
    """Readiness: 200 when requests can be served, 503 (with ``Retry-After``) while the
    database cannot be reached, so a load balancer sends traffic elsewhere meanwhile."""
    if database_reachable(db.session):
        return {"status": "ready", "database": "reachable"}
    retry = str(settings().database.retry_after_s)
    body = {"status": "unavailable", "database": "unreachable"}
    return body, 503, {"Retry-After": retry, "Cache-Control": "no-store"}
