"""Redis down (the rate-limit storage unreachable): log-in and the citizen pages still answer,
the limits count in the process meanwhile (Flask-Limiter's in-memory fallback, and the same for
the citizen read rate), and nothing is a 500."""

from __future__ import annotations

from booking.db import db
from booking.models import Role
from tests import factories
from tests.conftest import log_in
from tests.security_web.conftest import limited_app

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_log_in_and_citizen_pages_work_and_still_limit_without_redis(sqlite_url, caplog):
    app = limited_app(sqlite_url, security={"rate_limit_storage": NOWHERE,
                                            "citizen_reads_per_hour": 3})
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        factories.staff(s, Role.planner, username="pia")
        user = factories.staff(s, Role.caseworker, username="sb")
        factories.caseworker(s, unit, user=user)
        citizen = factories.citizen(s, unit)
        s.commit()
        citizen_id = citizen.id
    client = app.test_client()
    wrong = [client.post("/login", data={"username": "pia", "password": "forkert"}).status_code
             for _ in range(11)]
    assert wrong[:10] == [422] * 10 and wrong[10] == 429  # counted in this process meanwhile
    staff = app.test_client()
    assert log_in(staff, "sb").status_code in (302, 303)
    pages = [staff.get(f"/borgere/{citizen_id}").status_code for _ in range(4)]
    assert pages == [200, 200, 200, 429]
    assert "citizen read counter unavailable" in caplog.text
    with app.app_context():
        db.engine.dispose()
