"""Versions of what a citizen's own pages show, raised by the transactions that change it.

The citizen's home page and list of free times are the pages a busy Monday morning asks for
most; the web layer keeps their rendering for a short while (``[app] citizen_page_cache_s``)
and names in its key what the rendering depends on:

* the citizen's own data (bookings, obligations, programmes, conversations held, the citizen's
  row): ``citizens.page_version``, raised in the same transaction as the change, so every web
  process sees the new version the moment the change is committed and no longer uses a
  rendering of the old one;
* everyone else's bookings and the slots (which times are still free): :func:`epoch`, raised in
  this process after every commit that changed a slot or a booking. Another process's change
  reaches this process's renderings when they expire (the cache's time to live): a time shown
  as free may meanwhile have been taken, which the booking itself refuses with alternatives.

ORM changes are found at flush (:func:`watch` listens on the session factory). A bulk statement
(``session.execute(update(...))``) on one of these tables raises :func:`epoch` too; the citizens
it changes are named with :func:`touch` by the service that runs it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from itertools import chain
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from .models import Booking, Citizen, HeldConversation, Obligation, Programme, Slot

_CITIZENS = "page_versions.citizens"  # session.info: citizen ids whose pages changed
_SHARED = "page_versions.shared"  # session.info: slots or bookings changed (anyone's free times)
_OWNED = (Booking, Obligation, Programme, HeldConversation)  # rows with a citizen_id
_SHARED_TABLES = frozenset({"slots", "bookings"})
_TRACKED_TABLES = _SHARED_TABLES | {"obligations", "programmes", "held_conversations", "citizens"}

_lock = threading.Lock()
_epoch = 0


def epoch() -> int:
    """This process's count of committed changes to slots and bookings."""
    return _epoch


def _raise_epoch() -> None:
    global _epoch
    with _lock:
        _epoch += 1


def touch(session: Session, citizen_ids: Iterable[int]) -> None:
    """The pages of these citizens change with the session's transaction (for bulk statements
    the flush does not see)."""
    session.info.setdefault(_CITIZENS, set()).update(citizen_ids)


def watch(factory: sessionmaker[Session]) -> None:
    """Follow every session the factory makes."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_commit", _after_commit)
    event.listen(factory, "after_soft_rollback", _forget)


def _after_flush(session: Session, _context: Any) -> None:
    """``new``, ``dirty`` and ``deleted`` still show what this flush wrote (each is a set built
    anew on every access: read once)."""
    citizens: set[int] = session.info.setdefault(_CITIZENS, set())
    new = session.new
    changed = chain(new, (o for o in session.dirty if session.is_modified(o)), session.deleted)
    for obj in changed:
        if isinstance(obj, _OWNED):
            if obj.citizen_id is not None:
                citizens.add(obj.citizen_id)
            if isinstance(obj, Booking):
                session.info[_SHARED] = True
        elif isinstance(obj, Citizen):
            if obj not in new:
                citizens.add(obj.id)
        elif isinstance(obj, Slot):
            session.info[_SHARED] = True


def _on_execute(state: ORMExecuteState) -> None:
    """A bulk INSERT, UPDATE or DELETE on a tracked table: everyone's pages in this process."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _TRACKED_TABLES:
        state.session.info[_SHARED] = True


def _before_commit(session: Session) -> None:
    """Raise the versions in the committing transaction itself, after its last flush."""
    session.flush()
    ids = session.info.pop(_CITIZENS, None)
    if ids:
        citizens = Citizen.metadata.tables["citizens"]
        session.connection().execute(  # the connection: not a bulk statement _on_execute sees
            update(citizens)
            .where(citizens.c.id.in_(sorted(ids)))
            .values(page_version=citizens.c.page_version + 1)
        )


def _after_commit(session: Session) -> None:
    if session.info.pop(_SHARED, False):
        _raise_epoch()


def _forget(session: Session, _previous: Any) -> None:
    """The transaction was rolled back (a savepoint's rollback keeps what the outer one holds:
    raising a version too often costs a rendering, too rarely a stale page)."""
    if session.in_transaction():
        return
    session.info.pop(_CITIZENS, None)
    session.info.pop(_SHARED, None)
