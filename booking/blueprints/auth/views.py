"""Staff log-in, citizens' personal links, log-out and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
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
from ...extensions import LOCALES, limiter, settings
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


@bp.route("/")
def index() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for(HOME_BY_ROLE[current_user.role]))
    return render_template("auth/index.html")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
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
    if not database_reachable(db.session):
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
