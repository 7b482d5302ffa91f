"""Helpers of the conversation plan's page tests (`test_plan_pages`, `test_plan_runs`)."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlparse

from booking.services.planning import runs

from .conftest import counts

BASE = "/planlaegning/samtaler"


def text(page) -> str:
    return html.unescape(page.get_data(as_text=True))


def run_ids(location: str) -> list[int]:
    return [int(i) for i in parse_qs(urlparse(location).query).get("koersel", [])]


def start(client, *units: int, weeks: str = "8") -> list[int]:
    r = client.post(f"{BASE}/", data={"enhed": [str(u) for u in units], "uger": weeks})
    assert r.status_code == 302, text(r)[:2000]
    return run_ids(r.location)


def page_of(client, ids: list[int]):
    return client.get(f"{BASE}/plan", query_string=[("koersel", str(i)) for i in ids])


def changes(app) -> tuple[int, int, int]:
    """(bookings, outbox messages, plan runs): what a refusal must leave as it was."""
    return counts(app)[:3]


def no_scheduler(monkeypatch) -> None:
    """Runs stay queued (as when the worker has not picked them up yet)."""
    monkeypatch.setattr(runs, "scheduler", lambda: None)
