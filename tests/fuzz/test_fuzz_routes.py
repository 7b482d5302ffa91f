"""Every route, every form field and every query-string name, as every role that can reach
them, fuzzed with Hypothesis on SQLite and PostgreSQL: no input gives a 5xx.

The routes come from ``app.url_map``; the fields from the forms the pages render (followed from
each role's home page), the query strings in their links, the forms each view builds and the
names each view reads from ``request.args`` / ``request.form``. Each (endpoint, method) is first
swept deterministically (every field with NUL, huge and negative numbers, nan/inf, the ends of
the calendar, long text), then fuzzed. Bounded: a few examples per
target (``RETTIDIG_FUZZ_EXAMPLES`` scales them), no deadline, no shrinking, derandomised so a
failure repeats.
"""

from __future__ import annotations

import os
import time

import pytest

from booking.db import db

from .fuzzer import fuzz, plan, sweep
from .world import build_world

EXAMPLES = int(os.environ.get("RETTIDIG_FUZZ_EXAMPLES", "6"))


@pytest.fixture
def world(any_db_url):
    world = build_world(any_db_url)
    yield world
    with world.app.app_context():
        db.engine.dispose()


def test_no_input_gives_a_server_error(world):
    started = time.monotonic()
    found = plan(world)
    failures = []
    seen: set[tuple[str, str]] = set()
    took: dict[str, float] = {}
    for target in found.targets:
        key = (target.endpoint, target.method)
        examples = EXAMPLES if key not in seen else max(2, EXAMPLES // 3)
        if target.method == "POST":
            examples *= 2
        began = time.monotonic()
        if key not in seen:
            failures.extend(sweep(world, target))
        seen.add(key)
        failures.extend(fuzz(world, target, examples))
        name = f"{target.role} {target.method} {target.endpoint}"
        took[name] = took.get(name, 0.0) + time.monotonic() - began
    elapsed = time.monotonic() - started
    slowest = sorted(took.items(), key=lambda item: -item[1])[:5]
    print(f"fuzzed {len(found.targets)} targets in {elapsed:.1f} s; slowest:")
    print("\n".join(f"  {seconds:5.1f} s  {name}" for name, seconds in slowest))
    assert not failures, "\n\n".join(str(f) for f in failures)
