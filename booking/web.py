"""Wiring of the web app: extensions, blueprints, error pages, template helpers."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date, format_decimal, format_percent, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map

from .database import Database
from .db import db
from .extensions import babel, csrf, limiter, login_manager, select_locale
from .services import clock
from .services.accounts import load_principal
from .services.errors import NotFound
from .services.security import Passwords
from .settings import Settings
from .web_errors import init_error_pages
from .web_logging import init_log_redaction
from .web_security import init_security


def init_web(app: Flask, settings: Settings) -> None:
    clock.use_zone(settings.zone)
    app.extensions["rettidig_settings"] = settings
    database = Database(settings.database_url, echo=settings.database.echo,
                        connect_timeout_s=settings.database.connect_timeout_s)
    db.init_app(app, database)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    sec = settings.security
    app.extensions["passwords"] = Passwords(sec.argon2_time_cost, sec.argon2_memory_kib)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.user_loader(lambda user_id: load_principal(db.session, user_id))
    init_security(app, settings)  # headers, proxies, cookie flags, citizen read rate
    init_log_redaction(app)  # personal-link tokens never reach a log
    init_error_pages(app, settings)  # control characters refused; 503 without the database

    from .blueprints import register_blueprints

    app.url_map.converters["int"] = DatabaseId  # before any route is added
    register_blueprints(app)
    _register_errors(app)
    _register_template_helpers(app, settings)

    from .cli import register_cli
    from .tasks import configure as configure_tasks

    register_cli(app)
    configure_tasks(settings, database)


class DatabaseId(IntegerConverter):
    """``<int:…>`` in every route: an id the database can hold (PostgreSQL ``integer``,
    1 … 2³¹−1). A larger or zero id is a 404 before any query runs."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _register_errors(app: Flask) -> None:
    messages = {
        400: (_l("Forkert forespørgsel"), _l("Forespørgslen kunne ikke forstås.")),
        401: (_l("Log ind først"), _l("Du skal være logget ind for at se siden.")),
        403: (_l("Ingen adgang"), _l("Du har ikke adgang til denne side.")),
        404: (_l("Siden findes ikke"), _l("Vi kunne ikke finde den side, du ledte efter.")),
        405: (_l("Ikke tilladt"), _l("Handlingen er ikke tilladt her.")),
        429: (
            _l("For mange forsøg"),
            _l("Du har prøvet for mange gange. Vent lidt, og prøv igen."),
        ),
        500: (_l("Der skete en fejl"), _l("Der skete en fejl hos os. Prøv igen om lidt.")),
    }

    def render(code: int, detail: str | None = None) -> ResponseReturnValue:
        title, text = messages.get(code, messages[500])
        if wants_json():
            return jsonify({"error": {"status": code, "message": detail or str(text)}}), code
        return (
            render_template(
                "errors/error.html", code=code, title=str(title), text=str(text), detail=detail
            ),
            code,
        )

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> ResponseReturnValue:
        return render(400, gettext("Formularen var udløbet. Genindlæs siden, og prøv igen."))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> ResponseReturnValue:
        return render(exc.code or 500)

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound) -> ResponseReturnValue:
        """A service's NotFound that a view lets through is the page's 404."""
        return render(404)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> ResponseReturnValue:
        app.logger.exception("unhandled error on %s", request.path)
        return render(500)  # the request's session is rolled back when it is closed


def _pattern(danish: str, english: str) -> str:
    """Date patterns per interface language (Danish writes "12. marts", English "12 March")."""
    return english if select_locale() == "en" else danish


@lru_cache(maxsize=8192)
def _babel_date(value: date, pattern: str, locale: str) -> str:
    """Babel's date text, kept: a page of free times names the same days and times many times
    (issue 13: flask_babel's per-call locale and zone look-ups were a third of the slot list)."""
    return babel_dates.format_date(value, pattern, locale=locale)


@lru_cache(maxsize=8192)
def _babel_datetime(value: datetime, pattern: str, locale: str, zone: ZoneInfo) -> str:
    return babel_dates.format_datetime(value, pattern, tzinfo=zone, locale=locale)


def _decimals(digits: int) -> str:
    """A Babel number pattern with ``digits`` decimals and grouping: ``#,##0.0``."""
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def _register_template_helpers(app: Flask, settings: Settings) -> None:
    zone = settings.zone  # also flask_babel's BABEL_DEFAULT_TIMEZONE (booking/config.py)

    def long_date(value: date | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(zone).date()
        return _babel_date(value, _pattern("EEEE d. MMMM y", "EEEE d MMMM y"), select_locale())

    def short_date(value: date | None) -> str:
        return format_date(value, _pattern("d. MMM y", "d MMM y")) if value else ""

    def local_time(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%H:%M") if value else ""  # Babel's "HH:mm"

    def local_datetime(value: datetime | None) -> str:
        if value is None:
            return ""
        pattern = _pattern("EEEE d. MMMM y 'kl.' HH:mm", "EEEE d MMMM y 'at' HH:mm")
        return _babel_datetime(value, pattern, select_locale(), zone)

    def number(value: float | int | None, digits: int = 0) -> str:
        """A number in the active locale: ``20,7`` in Danish, ``20.7`` in English."""
        if value is None:
            return "–"
        return format_decimal(value, format=_decimals(digits))

    def percent(value: float | None, digits: int = 1) -> str:
        """A share (0–1) as a percentage in the active locale: ``38,4 %`` / ``38.4%``."""
        if value is None:
            return "–"
        return format_percent(value, format=_decimals(digits) + "\u00a0%" if select_locale() == "da"
                              else _decimals(digits) + "%")

    def numeric_date(value: date | datetime | None) -> str:
        """A short numeric date (``17.11.2026`` / ``17/11/2026``) for dense tables."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(zone).date()
        return _babel_date(value, _pattern("dd.MM.y", "dd/MM/y"), select_locale())

    app.jinja_env.filters.update(
        long_date=long_date,
        short_date=short_date,
        local_time=local_time,
        local_datetime=local_datetime,
        number=number,
        percent=percent,
        numeric_date=numeric_date,
    )

    @app.context_processor
    def _inject() -> dict[str, object]:
        from .blueprints.nav import navigation

        user = current_user._get_current_object()  # the object itself: a page asks it often
        return {
            "app_name": settings.app.name,
            "municipality": settings.app.municipality,
            "current_locale": select_locale(),
            "nav_items": navigation(user),
            "current_user": user,
        }
