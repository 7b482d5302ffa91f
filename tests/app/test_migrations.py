"""Alembic migrations build the schema on SQLite and PostgreSQL; rules live in the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from booking import migrate
from booking.models import Base


def test_upgrade_builds_every_table_and_matches_models(any_db_url):
    migrate.upgrade(any_db_url)
    engine = create_engine(any_db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(any_db_url):
    migrate.upgrade(any_db_url)
    migrate.downgrade(any_db_url, "base")
    engine = create_engine(any_db_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    migrate.upgrade(any_db_url)


def test_flask_db_upgrade_command(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    monkeypatch.setenv("DATABASE_URL", url)
    from booking import create_app

    result = create_app().test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    assert "bookings" in inspect(engine).get_table_names()
    engine.dispose()


def _seed_slot(conn) -> None:
    now = datetime(2027, 3, 1, 9, tzinfo=UTC)
    conn.execute(text("INSERT INTO units (id, code, name) VALUES (1, 'U', 'Enhed')"))
    conn.execute(
        text(
            "INSERT INTO caseworkers (id, unit_id, name, initials, calendar_token, active) "
            "VALUES (1, 1, 'Sagsbehandler', 'SB', 'tok', true)"
        )
    )
    conn.execute(
        text(
            "INSERT INTO citizens (id, cpr_hash, cpr_masked, birth_date, name, language, unit_id, "
            "attended_count, missed_count, show_probability, link_version, created_at) VALUES "
            "(1, 'h1', '010190-xxxx', '1990-01-01', 'A', 'da', 1, 0, 0, 0.9, 1, :now), "
            "(2, 'h2', '020290-xxxx', '1990-02-02', 'B', 'da', 1, 0, 0, 0.9, 1, :now)"
        ),
        {"now": now},
    )
    conn.execute(
        text(
            "INSERT INTO slots (id, caseworker_id, starts_at, minutes, channel, capacity, "
            "self_bookable) VALUES (1, 1, :now, 30, 'phone', 1, true)"
        ),
        {"now": now},
    )


def _book(conn, booking_id: int, citizen: int, state: str = "booked") -> None:
    conn.execute(
        text(
            "INSERT INTO bookings (id, slot_id, seat, citizen_id, state, source, locked, "
            "ical_uid, ical_sequence, created_at, updated_at) "
            "VALUES (:id, 1, 1, :c, :s, 'self', false, :uid, 0, :now, :now)"
        ),
        {
            "id": booking_id,
            "c": citizen,
            "s": state,
            "uid": f"u{booking_id}",
            "now": datetime(2027, 3, 1, tzinfo=UTC),
        },
    )


def test_a_seat_is_never_booked_twice_by_a_named_constraint(any_db_url):
    migrate.upgrade(any_db_url)
    engine = create_engine(any_db_url)
    try:
        with engine.begin() as conn:
            _seed_slot(conn)
            _book(conn, 1, 1)
        with pytest.raises(
            IntegrityError, match="uq_bookings_slot_seat_active|slot_id, bookings.seat"
        ):
            with engine.begin() as conn:
                _book(conn, 2, 2)
        # a cancelled booking frees the seat
        with engine.begin() as conn:
            conn.execute(text("UPDATE bookings SET state = 'cancelled' WHERE id = 1"))
            _book(conn, 3, 2)
            count = conn.execute(text("SELECT count(*) FROM bookings WHERE state <> 'cancelled'"))
            assert count.scalar() == 1
    finally:
        engine.dispose()


def test_enum_states_are_checked_by_the_database(any_db_url):
    migrate.upgrade(any_db_url)
    engine = create_engine(any_db_url)
    try:
        with engine.begin() as conn:
            _seed_slot(conn)
        with pytest.raises(IntegrityError):
            with engine.begin() as conn:
                _book(conn, 1, 1, state="maybe")
    finally:
        engine.dispose()


def test_alembic_history_is_linear():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_0002_keeps_existing_held_conversations_as_job_centre_conversations(any_db_url):
    """An existing database upgrades in place: old held conversations become conversations held
    by the job centre, and the new rule (a joint conversation is the job centre's) is enforced."""
    migrate.upgrade(any_db_url, "0001")
    engine = create_engine(any_db_url)
    try:
        with engine.begin() as conn:
            _seed_slot(conn)
            conn.execute(text("INSERT INTO held_conversations (id, citizen_id, held_on, joint) "
                              "VALUES (1, 1, '2027-02-01', true)"))
        migrate.upgrade(any_db_url)
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT kind, holder, fund_declined FROM held_conversations")
            ).one()
        assert tuple(row) == ("conversation", "jobcentre", False)
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE held_conversations SET holder = 'unemployment_fund'"))
    finally:
        engine.dispose()
