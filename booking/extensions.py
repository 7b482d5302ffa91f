"""Flask extensions, created unbound and initialised in create_app(); the web layer's accessors
for the app's settings and password hasher."""

from __future__ import annotations

import hashlib

from flask import current_app, has_request_context, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from limits.errors import StorageError
from redis.exceptions import RedisError

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


# --- log-in limits (booking/blueprints/auth/views.py): per user name and per client address ---

LOGIN_USER_KEY = "login-user:"


def client_address() -> str:
    """The client's address: the connection's, or the one ``[app] proxies`` trusted proxies
    forwarded (werkzeug ProxyFix rewrites ``remote_addr``; an unconfigured X-Forwarded-For is
    never read)."""
    return get_remote_address() or "unknown"


def login_username_key() -> str:
    """The counter of the user name in the log-in form (as the log-in matches it: trimmed, any
    case); hashed, so the storage holds no user names and a long name no long key."""
    name = str(request.form.get("username", "")).strip().lower()
    return LOGIN_USER_KEY + hashlib.sha256(name.encode()).hexdigest()[:32]


def reset_login_username_limits() -> None:
    """A successful log-in: the user name's failures count from zero again."""
    for current in limiter.current_limits:
        if any(str(arg).startswith(LOGIN_USER_KEY) for arg in current.request_args):
            try:
                limiter.limiter.clear(current.limit, *current.request_args)
            except (RedisError, StorageError, OSError) as exc:  # Redis down: the log-in stands
                current_app.logger.warning("log-in limit not reset (%s)", type(exc).__name__)
