"""The citizen's most-read pages, kept rendered for a few seconds (issue 13, speed).

A busy morning brings the same citizens back to their home page and list of free times again
and again; building those pages costs a handful of queries and a template each time. A web
process keeps each rendering at most ``[app] citizen_page_cache_s`` seconds, keyed on what it
shows (``booking.page_versions``): the address with its query string, the citizen and their page
version (raised by every change of their own bookings and conversations, in any process), this
process's count of committed bookings, the language and the day. A page view shown from the
cache is audited like any other (the service records it); the form tokens in a rendering
(CSRF, the booking's request key) are fresh in every response. Nothing is kept while a flashed
message waits to be shown, for a staff member, or for a response other than 200.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Hashable

from cachetools import TTLCache
from flask import current_app, request
from flask import session as web_session
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ... import page_versions
from ...extensions import settings
from ...services.clock import today_local

# Stand-ins for the per-response tokens inside a kept rendering (no page shows these texts).
CSRF_MARK = "\x1bcsrf-token\x1b"
REQUEST_KEY_MARK = "\x1brequest-key\x1b"


class RenderedPages:
    """A process's renderings: a TTL and LRU cache behind a lock (gunicorn's threads share it)."""

    def __init__(self, seconds: int, size: int) -> None:
        self._pages: TTLCache[Hashable, str] = TTLCache(maxsize=size, ttl=seconds)
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            return self._pages.get(key)

    def put(self, key: Hashable, html: str) -> None:
        with self._lock:
            self._pages[key] = html

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def _pages() -> RenderedPages | None:
    cfg = settings().app
    if cfg.citizen_page_cache_s == 0:
        return None
    pages: RenderedPages | None = current_app.extensions.get("rettidig_citizen_pages")
    if pages is None:
        pages = RenderedPages(cfg.citizen_page_cache_s, cfg.citizen_page_cache_size)
        current_app.extensions["rettidig_citizen_pages"] = pages
    return pages


def _key() -> tuple[Hashable, ...] | None:
    if "_flashes" in web_session or getattr(current_user, "kind", None) != "citizen":
        return None
    return (
        request.path,
        request.query_string,
        current_user.citizen_id,
        current_user.page_version,
        page_versions.epoch(),
        str(get_locale()),
        today_local(),
    )


def _fresh_tokens(html: str) -> str:
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, generate_csrf())
    if REQUEST_KEY_MARK in html:
        html = html.replace(REQUEST_KEY_MARK, secrets.token_urlsafe(24))
    return html


def rendered(
    build: Callable[[], ResponseReturnValue], seen: Callable[[], None]
) -> ResponseReturnValue:
    """The page: a kept rendering (then ``seen`` audits the view) or what ``build`` answers,
    kept when it is a page (a redirect or an error passes through). ``build`` renders with
    :data:`REQUEST_KEY_MARK` as a form's request key."""
    pages = _pages()
    key = _key() if pages is not None else None
    if pages is not None and key is not None:
        kept = pages.get(key)
        if kept is not None:
            seen()
            return _fresh_tokens(kept)
    answer = build()
    if isinstance(answer, tuple) and answer[1:] == (200,) and isinstance(answer[0], str):
        answer = answer[0]  # (page, 200)
    if not isinstance(answer, str):
        return answer
    if pages is not None and key is not None and "_flashes" not in web_session:
        pages.put(key, answer.replace(generate_csrf(), CSRF_MARK))
    return _fresh_tokens(answer)
