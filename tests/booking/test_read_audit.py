"""Page views are audited without a commit per view (issue 13): the entry is stamped when the
page is read and written with the others of the moment, by the buffer's own thread, by an
explicit flush, or when the process exits, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from sqlalchemy import event, func, select

from booking.db import db
from booking.models import AuditEntry
from booking.services import citizen_view, read_audit
from booking.services.clock import now_utc
from tests.conftest import make_app

from .conftest import build_world as make_world

ROOT = Path(__file__).resolve().parents[2]


def _views(citizen_id: int, action: str) -> int:
    with db.fresh_session() as other:
        return int(
            other.scalar(
                select(func.count(AuditEntry.id)).where(
                    AuditEntry.citizen_id == citizen_id, AuditEntry.action == action
                )
            )
            or 0
        )


def test_a_page_view_commits_nothing_and_its_audit_entry_appears(any_db_url):
    app = make_app(any_db_url)
    settings = app.extensions["rettidig_settings"]
    with app.app_context(), db.fresh_session() as session:
        world = make_world(session)
        session.commit()
        read_audit.flush()
        commits: list[int] = []
        event.listen(session, "after_commit", lambda _s: commits.append(1))
        before = now_utc()
        citizen_view.home_page(session, world.citizen.id, settings)
        citizen_view.open_choose_page(session, world.citizen.id, world.ob.id, settings)
        assert commits == []  # the views are reads: no commit, no write lock
        session.close()
        # written by the buffer's thread within [audit] read_flush_seconds, unasked
        deadline = time.monotonic() + settings.audit.read_flush_seconds + 5
        while _views(world.citizen.id, "citizen_viewed_slots") == 0:
            assert time.monotonic() < deadline, "the buffered view never reached the database"
            time.sleep(0.05)
        assert _views(world.citizen.id, "citizen_viewed_own") == 1
        with db.fresh_session() as other:
            entry = other.scalars(
                select(AuditEntry).where(AuditEntry.action == "citizen_viewed_slots")
            ).one()
            assert entry.actor_id == world.citizen.id and entry.object_id == world.ob.id
            at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=before.tzinfo)
            assert at >= before  # stamped at the view, not at the write
        assert read_audit.BUFFER.pending() == 0


def test_a_flush_writes_at_once_and_the_audit_trail_shows_its_own_views(session, world, settings):
    from booking.services.admin import admin_overview

    for _ in range(3):
        citizen_view.home_page(session, world.citizen.id, settings)
    with db.fresh_session() as admin_request:  # the admin's page: a request of its own
        overview = admin_overview(admin_request, entries=3)  # writes this process's views first
    assert [e.action for e in overview.entries] == ["citizen_viewed_own"] * 3
    assert read_audit.BUFFER.pending() == 0


def test_a_flush_waits_for_the_views_another_flush_is_writing(session, world, settings):
    """The buffer's thread may have taken the views and be writing them when the audit trail
    flushes: that flush returns only once they are in the database (it used to find nothing
    left to write and return at once, and the trail could miss the views)."""
    engine = read_audit._engine(session)
    read_audit.flush()
    started, release, done = threading.Event(), threading.Event(), threading.Event()
    table = AuditEntry.__tablename__.upper()

    def slow(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(f"INSERT INTO {table}"):
            started.set()
            release.wait(10)

    event.listen(engine, "before_cursor_execute", slow)
    first = threading.Thread(target=read_audit.flush)  # as the buffer's thread does
    second = threading.Thread(target=lambda: (read_audit.flush(), done.set()))
    try:
        citizen_view.home_page(session, world.citizen.id, settings)
        first.start()
        assert started.wait(10)  # the view is taken and on its way to the database
        second.start()
        assert not done.wait(0.3)  # the second flush waits for that write
        release.set()
        assert done.wait(10)
        assert _views(world.citizen.id, "citizen_viewed_own") == 1  # there once it returned
    finally:
        release.set()
        event.remove(engine, "before_cursor_execute", slow)
        for thread in (first, second):
            if thread.is_alive() or thread.ident is not None:
                thread.join(10)


def test_a_process_writes_its_buffered_views_when_it_exits(tmp_path, sqlite_url):
    """Gunicorn stops a worker gracefully and the CLI ends: what is buffered is written
    (atexit), even with a flush interval far longer than the process lives."""
    app = make_app(sqlite_url)
    with app.app_context(), db.fresh_session() as session:
        world = make_world(session)
        session.commit()
        citizen_id = world.citizen.id
    script = textwrap.dedent(
        f"""
        from booking.db import db
        from booking.services import citizen_view, read_audit
        from tests.conftest import make_app
        app = make_app({sqlite_url!r}, audit={{"read_flush_seconds": 60.0}})
        settings = app.extensions["rettidig_settings"]
        with app.app_context(), db.fresh_session() as session:
            citizen_view.home_page(session, {citizen_id}, settings)
            assert read_audit.BUFFER.pending() == 1
        """
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=120)
    with app.app_context():
        assert _views(citizen_id, "citizen_viewed_own") == 1
