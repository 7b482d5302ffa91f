"""Log-out ends the session on the server: a session cookie copied before log-out logs no one
in after it (staff and citizen), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text

from booking import migrate
from booking.db import db
from booking.models import AuditEntry, Citizen, Role, StaffUser
from booking.services import accounts


def _copy(client, app):
    """A second browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_staff_cookie_copied_before_logout_is_worthless_after_it(db_app, people, login):
    client = login(db_app, people["users"][Role.caseworker])
    thief = _copy(client, db_app)
    assert thief.get("/sagsbehandler/").status_code == 200  # the copy works while logged in
    assert client.post("/logout").status_code == 302
    response = thief.get("/sagsbehandler/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/sagsbehandler/").status_code == 302
    again = login(db_app, people["users"][Role.caseworker])  # a new log-in works
    assert again.get("/sagsbehandler/").status_code == 200


def test_staff_logout_ends_the_sessions_on_other_devices_too(db_app, people, login):
    laptop = login(db_app, people["users"][Role.manager])
    phone = login(db_app, people["users"][Role.manager])
    laptop.post("/logout")
    assert phone.get("/ledelse/").status_code == 302


def test_a_citizen_cookie_copied_before_logout_is_worthless_after_it(db_app, people, citizen_login):
    with db_app.app_context(), db.fresh_session() as s:
        citizen = s.get(Citizen, people["citizen"])
        client = citizen_login(db_app, citizen)
    thief = _copy(client, db_app)
    assert thief.get("/borger/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert thief.get("/borger/").status_code == 401
    assert client.get("/borger/").status_code == 401
    with db_app.app_context(), db.fresh_session() as s:  # the link itself still works
        assert (
            citizen_login(db_app, s.get(Citizen, people["citizen"])).get("/borger/").status_code
            == 200
        )


def test_log_out_commits_the_new_session_version_and_audits(db_app, people):
    staff_id = people["staff_ids"][Role.caseworker]
    with db_app.app_context():
        with db.fresh_session() as s:
            principal = accounts.staff_principal(s, staff_id)
            assert principal is not None and principal.get_id() == f"s:{staff_id}:1"
            accounts.log_out(s, principal)
            citizen = accounts.citizen_principal(s, people["citizen"], 1)
            assert citizen is not None and citizen.get_id() == f"c:{people['citizen']}:1:1"
            accounts.log_out(s, citizen)
        with db.fresh_session() as other:
            assert other.get(StaffUser, staff_id).session_version == 2
            assert other.get(Citizen, people["citizen"]).session_version == 2
            actions = other.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
            assert actions == ["logout", "citizen_logout"]
            assert accounts.load_principal(other, f"s:{staff_id}:1") is None
            assert accounts.load_principal(other, f"s:{staff_id}:2").staff_id == staff_id
            assert accounts.load_principal(other, f"c:{people['citizen']}:1:1") is None
            assert accounts.load_principal(other, f"c:{people['citizen']}:1:2") is not None


@pytest.mark.parametrize(
    "user_id",
    [
        "s:{staff}",  # the form before session versions: such sessions end
        "c:{citizen}:1",
        "s:{staff}:0",
        "s:{staff}:-1",
        "s:{staff}:1:1",
        "s:99999999999999999999:1",  # past a PostgreSQL integer: no query, no 500
        "c:{citizen}:99999999999:1",
        "s:{staff}:１",  # a full-width digit is not a digit here
        "x:{staff}:1",
        "",
    ],
)
def test_the_user_loader_refuses_every_other_form(db_app, people, user_id):
    user_id = user_id.format(staff=people["staff_ids"][Role.admin], citizen=people["citizen"])
    with db_app.app_context(), db.fresh_session() as s:
        assert accounts.load_principal(s, user_id) is None


def test_a_session_from_before_session_versions_is_not_logged_in(db_app, people):
    client = db_app.test_client()
    with client.session_transaction() as web_session:
        web_session["_user_id"] = f"s:{people['staff_ids'][Role.admin]}"
        web_session["_fresh"] = True
    assert client.get("/admin/").status_code == 302


def test_migration_0003_gives_existing_rows_version_1_and_goes_back(any_db_url):
    migrate.upgrade(any_db_url, "0002")
    engine = create_engine(any_db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO units (id, code, name) VALUES (1, 'U', 'Enhed')"))
            conn.execute(
                text(
                    "INSERT INTO staff_users (id, username, full_name, password_hash, role, "
                    "active, created_at) VALUES (1, 'a', 'A', 'x', 'admin', true, '2027-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO citizens (id, cpr_hash, cpr_masked, birth_date, name, language, "
                    "unit_id, attended_count, missed_count, show_probability, link_version, "
                    "created_at) VALUES (1, 'h', '010190-xxxx', '1990-01-01', 'B', 'da', 1, 0, 0, "
                    "0.9, 3, '2027-01-01')"
                )
            )
        migrate.upgrade(any_db_url)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT session_version FROM staff_users")) == 1
            assert conn.execute(
                text("SELECT link_version, session_version FROM citizens")
            ).one() == (3, 1)
        migrate.downgrade(any_db_url, "0002")
        with engine.connect() as conn:
            columns = {
                c[1]
                for c in conn.execute(
                    text(
                        "SELECT 0, column_name FROM information_schema.columns "
                        "WHERE table_name = 'citizens'"
                        if engine.dialect.name == "postgresql"
                        else "PRAGMA table_info(citizens)"
                    )
                )
            }
            assert "session_version" not in columns and "link_version" in columns
    finally:
        engine.dispose()
