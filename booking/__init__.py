"""Rettidig: the Flask application. ``create_app()`` reads config.toml."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the domain (services, rules) stays importable without Flask
    from flask import Flask


def create_app(overrides: dict[str, Any] | None = None, *, config_path: str | None = None) -> Flask:
    """Application factory.

    ``overrides`` is laid over the settings section by section (tests use it to point at a
    temporary database); a top-level ``flask`` key sets raw Flask config values. Invalid
    settings raise :class:`booking.settings.SettingsError` naming each key's path.
    """
    from flask import Flask
    from flask.cli import NoAppException
    from gunicorn.errors import AppImportError  # gunicorn prints it without a traceback

    from .config import flask_config
    from .config_checks import refuse_unsafe_start
    from .settings import PROJECT_ROOT, SettingsError, load_settings

    class InvalidSettings(SettingsError, NoAppException, AppImportError):
        """Stops the start: ``flask`` prints it as one clean "Error: …" with each key's path,
        gunicorn as its message before "App failed to load"."""

        def __init__(self, problems: list[str]) -> None:
            SettingsError.__init__(self, problems)
            NoAppException.__init__(self, SettingsError.__str__(self))

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    overrides = dict(overrides or {})
    raw_flask = overrides.pop("flask", {})
    try:
        settings = load_settings(config_path, overrides=overrides, instance_path=app.instance_path)
        refuse_unsafe_start(settings, debug=app.debug)  # production: no default/short secrets
    except SettingsError as err:
        raise InvalidSettings(err.problems) from None
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(flask_config(settings))
    app.config.update(raw_flask)

    from .web import init_web

    init_web(app, settings)
    return app
