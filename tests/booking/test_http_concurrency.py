"""The same race over HTTP: 24 citizens, logged in through their links, press "Book" for the
last seat at the same moment against a threaded live server; exactly one booking exists after."""

from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from booking.models import Booking
from booking.services.security import make_citizen_token
from tests.browser.conftest import LiveServer

from .test_concurrency import THREADS, _count, _setup, app_engine_dispose


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _opener():  # type: ignore[no-untyped-def]
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)


def _status(opener, url: str, data: dict | None = None) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_parallel_http_requests_for_the_last_seat(any_db_url):
    app, slot_id, _spare, people = _setup(any_db_url)
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF has its own tests; this one is about seats
    server = LiveServer(app).start()
    try:
        openers = []
        for citizen_id, _ob in people:
            opener = _opener()
            token = make_citizen_token(app.config["SECRET_KEY"], citizen_id, 1)
            status, _ = _status(opener, f"{server.url}/b/{token}")
            assert status == 302
            openers.append(opener)
        barrier = threading.Barrier(THREADS)
        results: list[tuple[int, str]] = [(0, "")] * THREADS

        def press(i: int) -> None:
            barrier.wait()
            results[i] = _status(openers[i], f"{server.url}/borger/samtale/{people[i][1]}/book",
                                 {"slot": str(slot_id), "request_key": f"http-{i}"})

        threads = [threading.Thread(target=press, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        server.stop()
    codes = Counter(code for code, _ in results)
    assert codes == {302: 1, 409: THREADS - 1}, codes
    assert all("Tiden er lige blevet taget" in text for code, text in results if code == 409)
    assert _count(app, Booking.slot_id == slot_id) == 1
    app_engine_dispose(app)
