"""Ids in URLs are bounded to what the database can hold: a 20-digit id is a 404 on PostgreSQL
and SQLite alike, never an "integer out of range" 500."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from booking.models import Role
from tests import factories
from tests.conftest import make_app

HUGE = "9" * 20
ROUTES = ["/indkald/{id}", "/indkald/{id}/skranke", "/api/v1/citizens/{id}/obligations"]


@pytest.fixture
def staff(any_db_url, login):
    app = make_app(any_db_url)
    from booking.db import db

    with app.app_context(), db.fresh_session() as s:
        factories.staff(s, Role.admin, username="admin")
        s.commit()
    yield login(app, "admin")
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("value", [HUGE, str(2**31), "0"])
@pytest.mark.parametrize("route", ROUTES)
def test_out_of_range_ids_are_not_found(staff, route, value):
    response = staff.get(route.format(id=value))
    assert response.status_code == 404


def test_the_bound_is_exactly_the_database_integer(app):
    urls = app.url_map.bind("localhost")
    assert urls.match(f"/indkald/{2**31 - 1}") == ("callin.session_page", {"session_id": 2**31 - 1})
    assert urls.match("/indkald/1")[1] == {"session_id": 1}
    for value in (2**31, 0, HUGE):
        with pytest.raises(NotFound):
            urls.match(f"/indkald/{value}")


def test_a_service_not_found_that_a_view_lets_through_is_a_404(app, client):
    from booking.services.errors import NotFound as ServiceNotFound

    @app.route("/_test/missing")
    def _missing() -> str:
        raise ServiceNotFound("citizen")

    page = client.get("/_test/missing")
    assert page.status_code == 404 and "Siden findes ikke" in page.text
