"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

from flask import request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

LOCALES = ("da", "en")

csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    # Danish first: only a browser that prefers English over Danish gets English.
    best = request.accept_languages.best_match(LOCALES, default="da") if request else "da"
    return best or "da"


babel = Babel()
