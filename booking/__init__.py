"""Rettidig: the Flask application. ``create_app()`` reads config.toml."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the rules engine (booking.rules) stays importable without Flask
    from flask import Flask


def create_app(overrides: dict[str, Any] | None = None, *, config_path: str | None = None) -> Flask:
    """Application factory.

    ``overrides`` is merged into the TOML settings section by section (tests use it to point
    at a temporary database); a top-level ``flask`` key sets raw Flask config values.
    """
    from flask import Flask

    from .config import PROJECT_ROOT, flask_config, load_settings, merge

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    settings = load_settings(config_path)
    overrides = dict(overrides or {})
    raw_flask = overrides.pop("flask", {})
    if overrides:
        settings = merge(settings, overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(flask_config(settings, app.instance_path))
    app.config.update(raw_flask)

    from .web import init_web

    init_web(app)
    return app
