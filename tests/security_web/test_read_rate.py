"""Issue 13, finding 6: a staff member who opens pages about citizens faster than
``[security] citizen_reads_per_hour`` is refused (429, in Danish), the refusal is audited, and
the administrator's page lists them; with Redis every web process counts together. Also: the
CPR search shows another unit's citizen only by unit until a purpose is stated."""

from __future__ import annotations

import uuid

import pytest
import redis
from sqlalchemy import select

from booking.db import db
from booking.models import AuditEntry
from booking.services.access_scope import READS_BLOCKED
from tests.security_web.conftest import build_world, limited_app

PER_HOUR = 3
REDIS = "redis://127.0.0.1:6379/11"
BLOCKED = "Du har åbnet sider om borgere mere end 3 gange inden for en time."


@pytest.fixture
def reader(any_db_url):
    app = limited_app(any_db_url, security={"citizen_reads_per_hour": PER_HOUR})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_past_the_hourly_reads_the_pages_are_refused_in_danish(reader, login):
    world = build_world(reader)
    client = login(reader, "sb_a")
    own = world.citizens["A"]
    statuses = [client.get(f"/borgere/{own}").status_code for _ in range(PER_HOUR)]
    assert statuses == [200] * PER_HOUR
    refused = client.get(f"/borgere/{own}")
    assert refused.status_code == 429
    assert "For mange borgeropslag" in refused.text and BLOCKED in refused.text
    assert "Forløb" not in refused.text
    api = client.get(f"/api/v1/citizens/{own}/obligations")
    assert api.status_code == 429 and api.json["error"]["code"] == "reads_blocked"
    assert client.get("/api/v1/me").status_code == 200  # shows no citizen: not counted
    # a colleague reads on
    assert login(reader, "indk_a").get(f"/borgere/{own}").status_code == 200
    with reader.app_context(), db.fresh_session() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == READS_BLOCKED)))
    assert {r.actor_id for r in rows} == {world.staff_ids["sb_a"]}
    assert len(rows) == 2 and rows[0].detail["per_hour"] == PER_HOUR


def test_the_cpr_search_counts_as_a_read(reader, login):
    build_world(reader)
    client = login(reader, "indk_a")
    for _ in range(PER_HOUR):
        assert client.post("/borgere/", data={"cpr": "0101901234"}).status_code in (404, 422)
    assert client.post("/borgere/", data={"cpr": "0101901234"}).status_code == 429
    assert client.get("/borgere/").status_code == 429


def test_the_admin_sees_who_was_refused(reader, login):
    world = build_world(reader)
    admin = login(reader, "admin")
    home = admin.get("/admin/")
    assert home.status_code == 200 and "Ingen er spærret." in home.text
    client = login(reader, "plan_a")
    for _ in range(PER_HOUR + 2):
        client.get(f"/borgere/{world.citizens['A']}")
    home = admin.get("/admin/")
    assert "Spærret for borgeropslag" in home.text and "Ingen er spærret." not in home.text
    row = home.text.split("Spærret for borgeropslag", 1)[1].split("</table>", 1)[0]
    assert "<td>plan_a</td>" in row and "<td>2</td>" in row and f"<td>{PER_HOUR}</td>" in row
    assert "sb_a" not in row


def test_citizens_are_not_counted_or_refused(reader, citizen_login):
    world = build_world(reader)
    with reader.app_context(), db.fresh_session() as s:
        from booking.models import Citizen

        person = s.get(Citizen, world.citizens["A"])
        client = citizen_login(reader, person)
    for _ in range(PER_HOUR + 2):
        assert client.get("/borger/").status_code == 200


def test_with_redis_two_apps_count_together(sqlite_url, login):
    prefix = f"rettidig-test-{uuid.uuid4().hex[:12]}"
    made = [
        limited_app(
            sqlite_url,
            security={"citizen_reads_per_hour": PER_HOUR, "rate_limit_storage": REDIS},
            flask={"RATELIMIT_KEY_PREFIX": prefix},
        )
        for _ in range(2)
    ]
    try:
        world = build_world(made[0])
        clients = [login(app, "sb_a") for app in made]
        own = world.citizens["A"]
        statuses = [clients[i % 2].get(f"/borgere/{own}").status_code for i in range(PER_HOUR)]
        assert statuses == [200] * PER_HOUR
        assert clients[0].get(f"/borgere/{own}").status_code == 429
        assert clients[1].get(f"/borgere/{own}").status_code == 429
    finally:
        server = redis.Redis.from_url(REDIS)
        keys = list(server.scan_iter(match=f"*{prefix}*"))
        assert any("citizen-reads" in k.decode() for k in keys)
        server.delete(*keys)
        for app in made:
            with app.app_context():
                db.engine.dispose()


def test_the_search_shows_another_units_citizen_only_by_unit(app, login):
    world = build_world(app)
    with app.app_context(), db.fresh_session() as s:
        from booking.models import Citizen

        other = s.get(Citizen, world.citizens["B"])
        number = f"{other.birth_date:%d%m%y}{1000 + int(other.name.split()[-1]):04d}"
        name, unit = other.name, other.unit.name
    client = login(app, "sb_a")
    page = client.post("/borgere/", data={"cpr": number})
    assert page.status_code == 200
    assert "Borgeren hører til en anden enhed" in page.text and unit in page.text
    assert name not in page.text and "xxxx" not in page.text
    client.post(f"/borgere/{other.id}/formaal", data={"purpose": "Borgeren ringede om tid."})
    page = client.post("/borgere/", data={"cpr": number})
    assert name in page.text and "Borgeren hører til en anden enhed" not in page.text
    # central call-in staff read every unit
    page = login(app, "indk_central").post("/borgere/", data={"cpr": number})
    assert name in page.text
