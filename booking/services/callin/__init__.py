"""Group call-ins (fælles indkald): plan a window served by a pool, size and send the
invitation, run the check-in desk, phone the no-shows, and count what happened.

Modules: ``sizing`` (pure Poisson-binomial overbooking), ``candidates`` (who falls due),
``sessions`` (plan, invite, letters), ``desk`` (check-in and race-free assignment),
``phone_list`` (ringeliste and re-invitation), ``figures`` (session and indicator figures),
``history`` (attendance → show probability and held conversations).
"""

from __future__ import annotations

from .errors import CallinError
from .settings import CallinSettings

__all__ = ["CallinError", "CallinSettings"]
