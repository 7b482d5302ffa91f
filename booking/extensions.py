"""Flask extensions, created unbound and initialised in create_app(); the web layer's accessors
for the app's settings and password hasher."""

from __future__ import annotations

from flask import current_app, has_request_context, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from .services.security import Passwords
from .settings import Settings

LOCALES = ("da", "en")

csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()


def settings() -> Settings:
    """The current app's typed settings."""
    value: Settings = current_app.extensions["rettidig_settings"]
    return value


def passwords() -> Passwords:
    value: Passwords = current_app.extensions["passwords"]
    return value


def select_locale() -> str:
    """Danish first: English only when chosen with the switch (kept in the session) or, for a
    citizen, set as their language; the browser's Accept-Language does not decide."""
    chosen = session.get("lang")
    if chosen in LOCALES:
        return str(chosen)
    user = current_user if has_request_context() else None
    language = getattr(user, "language", None) if getattr(user, "kind", None) == "citizen" else None
    return str(language) if language in LOCALES else "da"
