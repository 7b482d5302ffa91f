"""A world for the JSON API: the self-booking world (a citizen with an open conversation and
slots) plus API clients: one with every scope, one per single scope on demand, one revoked."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from booking.db import db
from booking.services.api import keys
from tests.booking.conftest import build_world

_keys = itertools.count(1)


@dataclass
class Api:
    app: Any
    citizen_id: int
    unit_code: str
    ob_id: int
    slot_ids: list[int]
    full: str  # a key with every scope
    full_id: int
    revoked: str

    def client(self):
        return self.app.test_client()

    def key(self, *scopes: str, name: str | None = None) -> str:
        with self.app.app_context(), db.fresh_session() as s:
            return keys.issue(s, name or f"System {next(_keys)}", list(scopes),
                              staff_id=None).key

    def get(self, path: str, key: str | None = None, **kwargs: Any):
        key = self.full if key is None else key
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return self.client().get(path, headers=headers, **kwargs)

    def post(self, path: str, json: Any = None, *, key: str | None = None,
             idem: str | None = None, **kwargs: Any):
        key = self.full if key is None else key
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        headers["Idempotency-Key"] = idem or f"test-{next(_keys)}"
        headers.update(kwargs.pop("headers", {}))
        return self.client().post(path, json=json, headers=headers, **kwargs)


def _api(app) -> Api:
    with app.app_context(), db.fresh_session() as s:
        world = build_world(s)
        full = keys.issue(s, "Sagssystem", list(keys.SCOPES), staff_id=None)
        gone = keys.issue(s, "Gammelt system", list(keys.SCOPES), staff_id=None)
        keys.revoke(s, gone.client.id, staff_id=None)
        return Api(app, world.citizen.id, world.unit.code, world.ob.id,
                   [slot.id for slot in world.slots], full.key, full.client.id, gone.key)


@pytest.fixture
def api(app) -> Api:
    return _api(app)


@pytest.fixture
def any_db_api(db_app) -> Api:
    """The same world on SQLite and on PostgreSQL."""
    return _api(db_app)


def problem(response, status: int, code: str | None = None) -> dict:
    """Assert an RFC 9457 answer and return its document."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/problem+json"
    doc = response.json
    assert doc["status"] == status and doc["title"] and doc["instance"]
    assert doc["type"].startswith(("urn:rettidig:problem:", "about:blank"))
    if code is not None:
        assert doc["code"] == code and doc["type"] == f"urn:rettidig:problem:{code}"
    return doc
