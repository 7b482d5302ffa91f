"""Cursor pages: ``limit`` at most 200, an opaque cursor, a ``next`` link until the last page;
rows added meanwhile do not shift a page."""

from __future__ import annotations

import pytest

from booking.db import db
from booking.services.api import pagination
from tests import factories
from tests.api.conftest import problem


def _add_citizens(api, n: int) -> None:
    with api.app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        for _ in range(n):
            factories.citizen(s, unit)
        s.commit()


def test_following_next_reads_every_row_once_in_order(api):
    _add_citizens(api, 6)
    ids, url, pages = [], "/api/v1/citizens?limit=3", 0
    while url:
        response = api.get(url)
        assert response.status_code == 200
        page = response.json
        assert len(page["data"]) <= 3
        ids += [c["id"] for c in page["data"]]
        url = page["next"]
        if url:
            assert response.headers["Link"] == f'<{url}>; rel="next"'
            assert "limit=3" in url and page["next_cursor"] in url
        else:
            assert page["next_cursor"] is None and "Link" not in response.headers
        pages += 1
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 7 and pages == 3


def test_a_row_added_between_pages_does_not_shift_the_next_page(api):
    _add_citizens(api, 3)
    first = api.get("/api/v1/citizens?limit=2").json
    _add_citizens(api, 1)
    second = api.get(first["next"]).json
    assert second["data"][0]["id"] == first["data"][-1]["id"] + 1


def test_limit_is_bounded(api):
    assert api.get("/api/v1/citizens?limit=200").status_code == 200
    for bad in ("201", "0", "-1", "x"):
        doc = problem(api.get(f"/api/v1/citizens?limit={bad}"), 422, "invalid")
        assert doc["errors"][0]["path"] == "query.limit"


def test_a_cursor_not_given_out_is_422(api):
    for bad in ("x", "!!!", pagination.encode(1)[:-1] + "*", "aWQ6LTE", "bm9wZQ"):
        doc = problem(api.get(f"/api/v1/citizens?cursor={bad}"), 422)
        assert doc["errors"][0]["path"] == "query.cursor"


@pytest.mark.parametrize("last", [0, 1, 99, 2**31 - 1])
def test_the_cursor_round_trips_and_is_opaque(last):
    cursor = pagination.encode(last)
    assert str(last) not in cursor and "=" not in cursor
    assert pagination.decode(cursor) == last


def test_out_of_range_cursors_are_refused():
    with pytest.raises(pagination.CursorError):
        pagination.decode(pagination.encode(2**31))
    assert pagination.decode(None) == 0 and pagination.decode("") == 0
