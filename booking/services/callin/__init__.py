"""Group call-ins (fælles indkald): plan a window served by a pool, size and send the
invitation, run the check-in desk, phone the no-shows, and count what happened.

Modules: ``candidates`` (who falls due), ``calendar`` (working days and the letters' notice),
``sessions`` (plan, invite, letters), ``desk`` (check-in, its undo and race-free assignment),
``board`` (the desk's board and the caseworker's queue, and their fingerprints for polling),
``phone_list`` (ringeliste and re-invitation), ``figures`` (session and indicator figures),
``history`` (attendance → show probability and held conversations), ``pages`` and
``list_pages`` (each screen's view-model, with the audit of who saw which citizen). The
Poisson-binomial overbooking arithmetic is pure and lives in :mod:`solver.sizing`.

Services that write own their transaction (:func:`booking.database.transaction`): they commit,
and a refusal (:class:`CallinError`) leaves nothing changed.
"""

from __future__ import annotations

from .errors import CallinError
from .settings import CallinSettings

__all__ = ["CallinError", "CallinSettings"]
