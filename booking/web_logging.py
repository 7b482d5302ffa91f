"""Personal-link tokens never reach a log.

A citizen's personal link (``/b/<token>``) logs its holder in, so a log line that carries it
hands the citizen's page to whoever reads the log. :class:`RedactTokens` rewrites every record
of the loggers that write request lines or errors before any handler sees it: werkzeug's
access log (``flask run``), the app's error log (``app.logger`` and Flask's default handler,
which also carries the app's child loggers), and gunicorn's access and error logs (by their
logger names: gunicorn's access logger does not propagate). ``/b/<token>`` becomes
``/b/[redacted]`` and the value of any ``…token=`` query parameter ``[redacted]``, in the
message, its arguments and a logged traceback. :func:`init_log_redaction` is one call in
``init_web``; calling it again adds nothing twice.
"""

from __future__ import annotations

import logging
import re

from flask import Flask
from flask.logging import default_handler

REDACTED = "[redacted]"
# the link route, wherever it appears (request line, full URL, referer); a token has no
# whitespace, quote, "?", "#" or "&" in it
_LINK_PATH = re.compile(r"(?i)(/b/|%2Fb%2F)[^\s\"'?#&%]+")  # also URL-encoded (?next=%2Fb%2F…)
# any query parameter whose name ends in "token" (token=, calendar_token=, …)
_TOKEN_QUERY = re.compile(r"(?i)(\w*token=)[^\s\"'&#]+")
# a caseworker's calendar feed (/feed/<token>.ics): the token reads their calendar
_FEED_PATH = re.compile(r"(?i)(/feed/|%2Ffeed%2F)[^\s\"'?#&%./]{16,}")

LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """``text`` with link tokens and ``token=`` query values replaced by ``[redacted]``."""
    text = _FEED_PATH.sub(rf"\g<1>{REDACTED}", text)
    return _TOKEN_QUERY.sub(rf"\g<1>{REDACTED}", _LINK_PATH.sub(rf"\g<1>{REDACTED}", text))


class RedactTokens(logging.Filter):
    """Rewrites the record (message with its arguments, traceback) without tokens; it never
    drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot be formatted stays as it is
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _add_once(target: logging.Logger | logging.Handler) -> None:
    if not any(isinstance(f, RedactTokens) for f in target.filters):
        target.addFilter(RedactTokens())


def init_log_redaction(app: Flask) -> None:
    """Install the filter on werkzeug's, gunicorn's and the app's loggers."""
    for name in LOGGERS:
        _add_once(logging.getLogger(name))
    _add_once(app.logger)
    _add_once(default_handler)
