"""The public calendar feed: ``/feed/<token>.ics``, no log-in (the token is the key).

404 for an unknown or revoked token; an ETag (hash of the text) and Last-Modified, so a
calendar client that asks with If-None-Match or If-Modified-Since gets 304 when nothing
changed. The token never reaches a log (booking/web_logging.py)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask.typing import ResponseReturnValue

from ...db import db
from ...extensions import settings
from ...services.clock import today_local
from ...services.errors import NotFound
from ...services.staff_time.feed import build_feed

bp = Blueprint("feed", __name__)


@bp.route("/<string(maxlength=64):token>.ics")
def calendar(token: str) -> ResponseReturnValue:
    cfg = settings()
    try:
        feed = build_feed(db.session, token, full_names=cfg.calendar.feed_full_names,
                          organizer=cfg.mail.sender, today=today_local())
    except NotFound:
        abort(404)
    response = Response(feed.text, mimetype="text/calendar")
    response.content_type = "text/calendar; charset=utf-8"
    response.set_etag(feed.etag)
    response.last_modified = feed.last_modified
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Disposition"] = 'inline; filename="rettidig.ics"'
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response.make_conditional(request)
