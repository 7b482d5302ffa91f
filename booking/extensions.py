"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

from flask import has_request_context, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

LOCALES = ("da", "en")

csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def select_locale() -> str:
    """Danish first: English only when chosen with the switch (kept in the session) or, for a
    citizen, set as their language; the browser's Accept-Language does not decide."""
    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    user = current_user if has_request_context() else None
    if getattr(user, "kind", None) == "citizen" and user.language in LOCALES:
        return user.language
    return "da"


babel = Babel()
