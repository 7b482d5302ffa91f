"""The Flask-side view of the typed settings: the keys Flask and its extensions read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .settings import Settings


def flask_config(settings: Settings) -> dict[str, Any]:
    """Translate the settings into the Flask/extension keys they drive."""
    return {
        "SECRET_KEY": settings.app.secret_key,
        "DATABASE_URL": settings.database_url,
        "BABEL_DEFAULT_LOCALE": settings.app.default_locale,
        "BABEL_DEFAULT_TIMEZONE": settings.app.timezone,
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "RATELIMIT_STORAGE_URI": settings.security.rate_limit_storage,
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down: count in this process meanwhile (a log line says so), never a 500
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "PREFERRED_URL_SCHEME": settings.app.public_url.split(":", 1)[0],
    }
