"""Error answers that must not make things worse: unusable characters, values the database
cannot hold, and a database that cannot be reached.

* Every query-string and form value (names too) and every path part is checked before any view
  runs: a NUL or another control character (tab and line breaks excepted) is a 400 with a
  message, not text sent on to PostgreSQL (which refuses NUL) or into a page. (Dates are
  bounded where they are read: the forms' ``InCalendar`` validator, booking/blueprints/bounds.py;
  query-string dates are filters that the page ignores with its own message.)
* A value that still reaches the database unchecked and is refused there (``DataError``:
  a number out of range, text the column cannot hold) is a 400, logged as a warning with its
  traceback so that the fuzz tests see it.
* ``OperationalError`` / ``InterfaceError`` / a pool timeout: the database is down, restarting
  or refusing connections. The answer is 503 with ``Retry-After``; the page is rendered from
  the template alone, without the context processors (the menu needs the signed-in person,
  who is loaded from the database) and without the locale selector (which may ask the same).
  The API answers JSON. Nothing needs restarting afterwards: broken connections are thrown
  away by the pool (``pool_pre_ping`` and invalidation on disconnect).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel.support import NullTranslations, Translations
from flask import Flask, g, jsonify, make_response, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import BadRequest

from .settings import Settings

# C0 controls except tab, line feed and carriage return; DEL; C1 controls
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError, PoolTimeout)

LOCALES = ("da", "en")


class UnusableInput(BadRequest):
    """A request value holds a character no field accepts (a control character)."""


def has_control_characters(values: Iterable[str]) -> bool:
    return any(CONTROL.search(value) for value in values)


def _request_texts() -> Iterable[str]:
    for multi in (request.args, request.form):
        for name, value in multi.items(multi=True):
            yield name
            yield value
    for name in request.files:
        yield name
    for value in (request.view_args or {}).values():
        if isinstance(value, str):
            yield value


def _refuse_unusable_input() -> None:
    if has_control_characters(_request_texts()):
        raise UnusableInput()


def _api_request() -> bool:
    return request.path.startswith("/api/")


def _bad_request(detail: str) -> ResponseReturnValue:
    if _api_request():
        return jsonify({"error": {"status": 400, "message": detail}}), 400
    page = render_template(
        "errors/error.html",
        code=400,
        title=gettext("Forkert forespørgsel"),
        text=gettext("Forespørgslen kunne ikke forstås."),
        detail=detail,
    )
    return page, 400


UNUSABLE_TEXT = _l(
    "Teksten indeholder et tegn, der ikke kan bruges (et kontroltegn, f.eks. et nul-tegn). "
    "Fjern det, og prøv igen."
)
TOO_LARGE_TEXT = _l(
    "En af værdierne kan ikke bruges (f.eks. et tal, der er for stort). Ret den, og prøv igen."
)


def N_(message: str) -> str:  # noqa: N802 - Babel's marker: extracted, translated later
    return message


# translated with the catalogue read at start (flask-babel's would ask the locale selector)
UNAVAILABLE_API = N_("Databasen kan ikke nås lige nu. Prøv igen om lidt.")


def init_error_pages(app: Flask, settings: Settings) -> None:
    """The input guard (first of all ``before_request`` functions) and the error handlers."""
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_unusable_input)
    retry_after = str(settings.database.retry_after_s)
    catalogues = _catalogues(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0]))

    @app.errorhandler(UnusableInput)
    def _unusable(exc: UnusableInput) -> ResponseReturnValue:
        return _bad_request(str(UNUSABLE_TEXT))

    @app.errorhandler(DataError)
    def _refused_by_database(exc: DataError) -> ResponseReturnValue:
        app.logger.warning(
            "a value reached the database unchecked on %s", request.path, exc_info=exc
        )
        return _bad_request(str(TOO_LARGE_TEXT))

    def _unavailable(exc: Exception) -> ResponseReturnValue:
        app.logger.warning(
            "database unavailable on %s: %s", request.path, str(exc).splitlines()[0][:300]
        )
        lang = _language_without_database()
        text = catalogues[lang].gettext
        if _api_request():
            message = text(UNAVAILABLE_API)
            response = make_response(jsonify({"error": {"status": 503, "message": message}}), 503)
        else:
            # the template alone: no context processors, no current_user, no locale selector
            template = app.jinja_env.get_template("errors/unavailable.html")
            page = template.render(
                _=text,
                gettext=text,
                lang=lang,
                retry_after=retry_after,
                app_name=settings.app.name,
                municipality=settings.app.municipality,
            )
            response = make_response(page, 503)
        response.headers["Retry-After"] = retry_after
        response.headers["Cache-Control"] = "no-store"
        return response

    for cls in UNAVAILABLE:
        app.register_error_handler(cls, _unavailable)


def _catalogues(directory: Path) -> dict[str, NullTranslations]:
    """The interface languages' catalogues, read once (Danish is the msgids themselves)."""
    out: dict[str, NullTranslations] = {"da": NullTranslations()}
    for lang in LOCALES[1:]:
        out[lang] = Translations.load(str(directory), [lang])
    return out


def _language_without_database() -> str:
    """The language chosen with the switch, or a citizen's own when already loaded in this
    request; never a database query."""
    chosen = session.get("lang")
    if chosen in LOCALES:
        return str(chosen)
    user = g.get("_login_user")  # Flask-Login's cache: set only if loaded before the failure
    language = getattr(user, "language", None) if getattr(user, "kind", None) == "citizen" else None
    return str(language) if language in LOCALES else "da"
