"""Staff log-in, citizens' personal links, log-out and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ...database import begin_write
from ...db import db
from ...extensions import LOCALES, limiter, settings
from ...models import Role
from ...services import accounts
from ...services.security import LinkError
from . import bp
from .forms import LoginForm

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


def _login_limit() -> str:
    return settings().security.login_rate_limit


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for(HOME_BY_ROLE[current_user.role]))
    return render_template("auth/index.html")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():  # type: ignore[no-untyped-def]
    form = LoginForm()
    if form.validate_on_submit():
        session_db = db.session
        begin_write(session_db)
        user = accounts.authenticate(
            session_db,
            current_app.extensions["passwords"],
            form.username.data or "",
            form.password.data or "",
        )
        if user is None:
            session_db.rollback()
            form.password.errors.append(_("Forkert brugernavn eller adgangskode."))
        else:
            session_db.commit()
            session.clear()
            principal = accounts.staff_principal(session_db, user.id)
            login_user(principal)
            target = _safe_next(request.args.get("next"))
            return redirect(target or url_for(HOME_BY_ROLE[user.role]))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/b/<token>")
def citizen_link(token: str):  # type: ignore[no-untyped-def]
    cfg = settings()
    session_db = db.session
    begin_write(session_db)
    try:
        principal = accounts.open_citizen_link(
            session_db,
            cfg.app.secret_key,
            token,
            cfg.security.citizen_link_days,
        )
    except LinkError as exc:
        session_db.rollback()
        return render_template("auth/link_error.html", message=exc.message_da), 403
    session_db.commit()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(principal)
    return redirect(url_for("citizen.home"))


@bp.route("/logout", methods=["POST"])
def logout():  # type: ignore[no-untyped-def]
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("Du er logget ud."), "info")
    return redirect(url_for("auth.index"))


@bp.route("/sprog/<code>")
def set_language(code: str):  # type: ignore[no-untyped-def]
    if code in LOCALES:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")) or url_for("auth.index"))


@bp.route("/health")
def health():  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
