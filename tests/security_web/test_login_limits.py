"""Issue 13, finding 5: the log-in limit is kept per user name and, apart, per client address; a
successful log-in starts the name's count again; with Redis the count is shared by every web
process (two apps in this process, and a second Python process)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
import redis

from booking.db import db
from booking.models import Role
from tests import factories
from tests.conftest import log_in
from tests.security_web.conftest import limited_app

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 11  # a database number of its own; only this test's keys are deleted afterwards
REDIS = f"redis://127.0.0.1:6379/{REDIS_DB}"
WRONG = "forkert-kodeord"
PER_NAME = 10  # config.toml: login_rate_limit = "10 per minute;50 per hour"


def _users(app, *names: str) -> None:
    with app.app_context(), db.fresh_session() as s:
        for name in names:
            factories.staff(s, Role.planner, username=name)
        s.commit()


def _wrong(client, name: str, address: str = "127.0.0.1") -> int:
    answer = client.post(
        "/login",
        data={"username": name, "password": WRONG},
        environ_base={"REMOTE_ADDR": address},
    )
    return answer.status_code


def test_ten_wrong_passwords_for_a_name_then_429_in_danish(limited):
    _users(limited, "pia")
    client = limited.test_client()
    assert [_wrong(client, "pia") for _ in range(PER_NAME)] == [422] * PER_NAME
    refused = client.post("/login", data={"username": "pia", "password": WRONG})
    assert refused.status_code == 429
    assert "For mange forsøg" in refused.text
    # the same name in another case or with spaces is the same count
    assert _wrong(client, "  PIA ") == 429
    # the right password for that name waits too (the name is what is being guessed)
    assert log_in(client, "pia").status_code == 429


def test_a_success_starts_the_names_count_again(limited):
    _users(limited, "pia")
    client = limited.test_client()
    assert [_wrong(client, "pia") for _ in range(PER_NAME - 1)] == [422] * (PER_NAME - 1)
    assert log_in(client, "pia").status_code == 302
    other = limited.test_client()
    assert [_wrong(other, "pia") for _ in range(PER_NAME)] == [422] * PER_NAME
    assert _wrong(other, "pia") == 429


def test_other_names_failures_from_the_same_address_do_not_block_a_name(limited):
    """Behind one proxy (or one office NAT) staff share an address: one colleague's typos must
    not lock the others out, and the right password gets in."""
    _users(limited, "pia", "ole")
    client = limited.test_client()
    assert [_wrong(client, "ole") for _ in range(PER_NAME)] == [422] * PER_NAME
    assert _wrong(client, "ole") == 429
    assert log_in(limited.test_client(), "pia").status_code == 302


def test_the_address_limit_counts_failures_over_every_name(limited):
    rule = limited.extensions["rettidig_settings"].security.login_rate_limit_per_address
    per_minute = int(rule.split()[0])
    _users(limited, "pia")
    client = limited.test_client()
    statuses = [_wrong(client, f"navn{i}", "198.51.100.9") for i in range(per_minute)]
    assert statuses == [422] * per_minute
    assert _wrong(client, "endnu-et-navn", "198.51.100.9") == 429
    # another address is not affected, and successes from it are not counted
    assert _wrong(client, "pia", "198.51.100.10") == 422
    assert log_in(client, "pia").status_code == 302


# --- Redis: one count for every web process -------------------------------------------------


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in Redis database 11; its keys are deleted afterwards."""
    server = redis.Redis.from_url(REDIS)
    try:
        server.ping()
    except redis.ConnectionError as err:
        pytest.fail(f"Redis 127.0.0.1:6379 is needed for the shared log-in limit: {err}")
    prefix = f"rettidig-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    keys = list(server.scan_iter(match=f"*{prefix}*"))
    if keys:
        server.delete(*keys)
    server.close()


def _redis_app(url: str, prefix: str):
    return limited_app(
        url, security={"rate_limit_storage": REDIS}, flask={"RATELIMIT_KEY_PREFIX": prefix}
    )


def _dispose(*apps) -> None:
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_two_apps_on_one_redis_share_the_count(sqlite_url, redis_prefix):
    first, second = _redis_app(sqlite_url, redis_prefix), _redis_app(sqlite_url, redis_prefix)
    _users(first, "pia")
    clients = [first.test_client(), second.test_client()]
    statuses = [_wrong(clients[i % 2], "pia") for i in range(PER_NAME)]
    assert statuses == [422] * PER_NAME
    assert _wrong(clients[0], "pia") == 429 and _wrong(clients[1], "pia") == 429
    keys = redis.Redis.from_url(REDIS).keys(f"*{redis_prefix}*")
    assert keys, "the counts are in Redis"
    _dispose(first, second)


def test_a_success_on_one_app_resets_the_count_on_the_other(sqlite_url, redis_prefix):
    first, second = _redis_app(sqlite_url, redis_prefix), _redis_app(sqlite_url, redis_prefix)
    _users(first, "pia")
    one, two = first.test_client(), second.test_client()
    assert [_wrong(one, "pia") for _ in range(PER_NAME - 1)] == [422] * (PER_NAME - 1)
    assert log_in(two, "pia").status_code == 302
    assert [_wrong(one, "pia") for _ in range(PER_NAME)] == [422] * PER_NAME
    assert _wrong(two, "pia") == 429
    _dispose(first, second)


SECOND_PROCESS = textwrap.dedent(
    """
    import sys
    from tests.conftest import app_overrides
    from booking import create_app

    url, redis_url, prefix, name, tries = sys.argv[1:6]
    app = create_app(app_overrides(
        url, security={"rate_limit_storage": redis_url},
        flask={"TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
               "RATELIMIT_KEY_PREFIX": prefix},
    ))
    client = app.test_client()
    for _ in range(int(tries)):
        answer = client.post("/login", data={"username": name, "password": "forkert-kodeord"})
        print(answer.status_code)
    """
)


def test_a_second_process_counts_in_the_same_redis(sqlite_url, redis_prefix):
    app = _redis_app(sqlite_url, redis_prefix)
    _users(app, "pia")
    client = app.test_client()
    assert [_wrong(client, "pia") for _ in range(4)] == [422] * 4
    env = {**os.environ, "RETTIDIG_MODE": "demo", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS, sqlite_url, REDIS, redis_prefix, "pia", "7"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["422"] * 6 + ["429"], done.stderr[-2000:]
    assert _wrong(client, "pia") == 429
    _dispose(app)
