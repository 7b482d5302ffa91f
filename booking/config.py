"""Load config.toml into a Flask config mapping, with environment overrides for secrets."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config.toml"

# environment variable -> (section, key)
ENV_OVERRIDES: dict[str, tuple[str, str]] = {
    "SECRET_KEY": ("app", "secret_key"),
    "DATABASE_URL": ("database", "url"),
    "CPR_HASH_KEY": ("security", "cpr_hash_key"),
    "MAIL_PASSWORD": ("mail", "password"),
    "REDIS_URL": ("queue", "url"),
    "RETTIDIG_QUEUE": ("queue", "backend"),
    "RETTIDIG_RULES": ("rules", "active"),
}


def load_settings(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read the TOML settings file and apply environment overrides."""
    chosen = Path(path or os.environ.get("RETTIDIG_CONFIG") or DEFAULT_CONFIG)
    with chosen.open("rb") as fh:
        settings: dict[str, Any] = tomllib.load(fh)
    for env, (section, key) in ENV_OVERRIDES.items():
        value = os.environ.get(env)
        if value:
            settings.setdefault(section, {})[key] = value
    if os.environ.get("REDIS_URL"):
        settings.setdefault("security", {})["rate_limit_storage"] = os.environ["REDIS_URL"]
    return settings


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``extra`` into a copy of ``base`` (used by tests to override sections)."""
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def flask_config(settings: dict[str, Any], instance_path: str) -> dict[str, Any]:
    """Translate settings sections into the Flask/extension keys they drive."""
    app = settings["app"]
    security = settings["security"]
    url = settings["database"]["url"]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        relative = url.removeprefix("sqlite:///")
        if relative and relative != ":memory:":
            url = f"sqlite:///{Path(instance_path) / relative}"
    return {
        "SECRET_KEY": app["secret_key"],
        "DATABASE_URL": url,
        "SQL_ECHO": settings["database"].get("echo", False),
        "BABEL_DEFAULT_LOCALE": app.get("default_locale", "da"),
        "BABEL_DEFAULT_TIMEZONE": app.get("timezone", "Europe/Copenhagen"),
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "RATELIMIT_STORAGE_URI": security.get("rate_limit_storage", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "RETTIDIG": settings,
    }
