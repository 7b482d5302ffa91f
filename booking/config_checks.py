"""Which settings are unsafe for real citizens.

Two uses, one list of rules:

- :func:`refuse_unsafe_start` stops the start in ``[app] mode = "production"`` (the default)
  while ``SECRET_KEY`` or ``CPR_HASH_KEY`` is a published default or shorter than
  :data:`MIN_SECRET_LENGTH`: the app factory turns the problems into ``InvalidSettings`` (one
  clean "Error: …" from ``flask``; gunicorn's worker fails to boot) and :func:`guard_worker`
  makes ``huey_consumer booking.tasks.huey`` exit before it consumes anything. ``flask --debug``
  and ``mode = "demo"`` start anyway.
- :func:`findings` is everything ``flask --app booking check-config`` reports: the secrets, demo
  mode, in-process rate-limit counters in production (or shared by several processes), debug,
  CSRF or rate limits switched off, mail without TLS to another host, plain http in production
  (or to another host), cookies without Secure behind https, SQL echo; and as warnings (which
  do not fail the check) SQLite in production and a previous CPR key still set.

Flask-free (the huey worker uses it); the messages are for operators, in English.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .settings import Settings, SettingsError, load_settings

MIN_SECRET_LENGTH = 32
# Every secret ever shipped in this repository's config.toml (or used by its tests): public,
# so as good as none. A test checks that config.toml's current defaults are listed here.
PUBLISHED_SECRETS = frozenset({"dev-only-change-me", "dev-only-cpr-key"})
NEW_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"

_HARM = {
    "SECRET_KEY": "anyone can sign a personal link for any citizen and forge staff sessions",
    "CPR_HASH_KEY": "a copy of the database gives back every CPR number (birth date + hash)",
    "CPR_HASH_KEY_PREVIOUS": (
        "rows not yet re-hashed give back their CPR numbers from a copy of the database"
    ),
}


@dataclass(frozen=True)
class Finding:
    setting: str  # e.g. "app.secret_key"
    variable: str | None  # the environment variable that sets it, if any
    problem: str
    warning: bool = False  # worth knowing, but not unsafe by itself

    def __str__(self) -> str:
        named = f"{self.setting} ({self.variable})" if self.variable else self.setting
        return f"{named}: {self.problem}"


def secret_findings(settings: Settings, *, with_previous: bool = True) -> list[Finding]:
    """Published-default or short secrets (the ones the production start refuses, and the
    previous CPR key when ``with_previous`` and set)."""
    secrets = [
        ("app.secret_key", "SECRET_KEY", settings.app.secret_key),
        ("security.cpr_hash_key", "CPR_HASH_KEY", settings.security.cpr_hash_key),
    ]
    if with_previous and settings.security.cpr_hash_key_previous:
        secrets.append(
            (
                "security.cpr_hash_key_previous",
                "CPR_HASH_KEY_PREVIOUS",
                settings.security.cpr_hash_key_previous,
            )
        )
    out = []
    for setting, variable, value in secrets:
        if value in PUBLISHED_SECRETS:
            what = "the default published in this repository"
        elif len(value) < MIN_SECRET_LENGTH:
            what = f"only {len(value)} characters long (at least {MIN_SECRET_LENGTH} needed)"
        else:
            continue
        out.append(
            Finding(
                setting,
                variable,
                (
                    f"{what}: {_HARM[variable]}. Set {variable} to a random value of at least "
                    f"{MIN_SECRET_LENGTH} characters, e.g. from `{NEW_SECRET}`"
                ),
            )
        )
    return out


def start_problems(settings: Settings, *, debug: bool) -> list[str]:
    """What stops the start: in production mode (and not under ``flask --debug``), the
    secrets."""
    if settings.app.mode == "demo" or debug:
        return []
    return [
        f"{finding} (or RETTIDIG_MODE=demo for a demo)"
        for finding in secret_findings(settings, with_previous=False)
    ]


def refuse_unsafe_start(settings: Settings, *, debug: bool) -> None:
    """Raise :class:`SettingsError` with :func:`start_problems`, except while ``flask …
    check-config`` builds the app to report on it (that command serves nothing)."""
    problems = start_problems(settings, debug=debug)
    if problems and not _running_check_config():
        raise SettingsError(problems)


def _running_check_config() -> bool:
    import click

    return click.get_current_context(silent=True) is not None and "check-config" in sys.argv[1:]


def guard_worker(huey: Any) -> None:
    """``huey_consumer`` builds its consumer through ``huey.create_consumer``: check the
    worker's settings first and exit with the problems (the web app refuses the same)."""
    create: Callable[..., Any] = huey.create_consumer

    def checked(**options: Any) -> Any:
        try:
            refuse_unsafe_start(load_settings(), debug=False)
        except SettingsError as err:
            raise SystemExit(str(err)) from None
        return create(**options)

    huey.create_consumer = checked


def findings(settings: Settings, flask: Mapping[str, Any], *, processes: int) -> list[Finding]:
    """Every unsafe setting for an app serving real citizens. ``flask`` is the app's Flask
    config (debug, CSRF, rate limits, cookie flags); ``processes`` how many web processes share
    the rate-limit storage."""
    out: list[Finding] = []
    production = settings.app.mode == "production"
    if not production:
        out.append(
            Finding(
                "app.mode",
                "RETTIDIG_MODE",
                (
                    "demo: the start does not refuse default or short secrets; use production for "
                    "real citizens"
                ),
            )
        )
    out += secret_findings(settings)
    if settings.app.secret_key == settings.security.cpr_hash_key:
        out.append(
            Finding(
                "security.cpr_hash_key",
                "CPR_HASH_KEY",
                "the same value as SECRET_KEY: give each purpose its own key",
            )
        )
    if settings.security.cpr_hash_key_previous:
        out.append(
            Finding(
                "security.cpr_hash_key_previous",
                "CPR_HASH_KEY_PREVIOUS",
                (
                    "set: a rotation is under way; run `flask --app booking cpr-rehash`, "
                    "then remove it"
                ),
                warning=True,
            )
        )
    if production and settings.database_url.startswith("sqlite"):
        out.append(
            Finding(
                "database.url",
                "DATABASE_URL",
                (
                    "SQLite in production: one file, one writer at a time, no server-side access "
                    "control; use PostgreSQL"
                ),
                warning=True,
            )
        )
    if settings.database.echo:
        out.append(
            Finding(
                "database.echo",
                None,
                (
                    "every SQL statement is logged with its values (names, e-mail addresses, phone "
                    "numbers)"
                ),
            )
        )
    # what Flask-Limiter was given (the setting, or Redis where booking.config chooses it)
    storage = str(flask.get("RATELIMIT_STORAGE_URI") or settings.security.rate_limit_storage)
    if storage.startswith("memory://") and processes > 1:
        out.append(
            Finding(
                "security.rate_limit_storage",
                "REDIS_URL",
                (
                    f"memory:// with {processes} web processes: each counts on its own, so every "
                    f"limit is {processes} times looser; use Redis"
                ),
            )
        )
    elif storage.startswith("memory://") and production:
        out.append(
            Finding(
                "security.rate_limit_storage",
                "REDIS_URL",
                (
                    "memory:// in production: each web process (gunicorn worker) counts on its own "
                    "and a restart forgets the counts, so log-in limits are looser than set; use "
                    "Redis"
                ),
            )
        )
    out += _flask_findings(settings, flask)
    mail = settings.mail
    if not mail.smtp_starttls and not _is_local(mail.smtp_host):
        out.append(
            Finding(
                "mail.smtp_starttls",
                None,
                (
                    f"off for {mail.smtp_host}: letters (and the SMTP password) cross the network "
                    "unencrypted"
                ),
            )
        )
    return out


def _flask_findings(settings: Settings, flask: Mapping[str, Any]) -> list[Finding]:
    out = []
    if flask.get("DEBUG"):
        out.append(
            Finding(
                "debug",
                "FLASK_DEBUG",
                (
                    "on: the interactive debugger runs code for anyone who can reach it, and error "
                    "pages show source"
                ),
            )
        )
    if flask.get("TESTING"):
        out.append(Finding("TESTING", None, "on: errors propagate instead of error pages"))
    if flask.get("WTF_CSRF_ENABLED") is False:
        out.append(Finding("WTF_CSRF_ENABLED", None, "off: forms accept cross-site posts"))
    if flask.get("RATELIMIT_ENABLED") is False:
        out.append(Finding("RATELIMIT_ENABLED", None, "off: passwords can be guessed freely"))
    if not flask.get("SESSION_COOKIE_HTTPONLY", True):
        out.append(
            Finding(
                "SESSION_COOKIE_HTTPONLY",
                None,
                "off: a script in the page can read the session cookie",
            )
        )
    url = urlsplit(settings.app.public_url)
    if url.scheme == "https" and not flask.get("SESSION_COOKIE_SECURE"):
        out.append(
            Finding(
                "SESSION_COOKIE_SECURE",
                None,
                ("off behind https: the session cookie is also sent over plain http"),
            )
        )
    if url.scheme != "https" and (
        settings.app.mode == "production" or not _is_local(url.hostname or "")
    ):
        out.append(
            Finding(
                "app.public_url",
                None,
                (
                    f"{settings.app.public_url} is not https: personal links and session cookies "
                    "cross the network unencrypted (and citizens cannot reach a loopback address); "
                    "use the https address citizens reach the app at"
                ),
            )
        )
    return out


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
