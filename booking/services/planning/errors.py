"""Refusals of the planner, as codes (the web layer words them).

:class:`PlanningError` codes:

* ``unknown_unit`` (``unit``): no such unit;
* ``bad_weeks`` (``weeks``, ``max``): the horizon is not 1 … 52 weeks;
* ``not_ready`` (``state``): the run has no proposals to accept (queued, running, failed);
* ``superseded``: a newer run of the unit replaced this one;
* ``unknown_proposals`` (``proposals``): ids the run does not hold (or already accepted);
* ``depends_on`` (``proposals``, ``needs``): a chosen proposal needs another one (it frees the
  seat or the day) that is neither chosen nor accepted;
* ``stale`` (``proposals``): the rows these proposals were computed from have changed;
* ``too_soon`` (``proposals``, ``lock_until``): the time now lies in the lock period;
* ``seat_taken`` (``proposals``, ``slot``): the slot has no free seat (a lost race included);
* ``citizen_day_taken`` (``proposals``, ``day``): the citizen has another conversation that day;
* ``day_full`` (``proposals``, ``caseworker``, ``day``): the caseworker's ``max_per_day``;
* ``already_booked`` (``proposals``): the obligation got a booking meanwhile.

Nothing has been changed when one is raised.
"""

from __future__ import annotations

from ..errors import ServiceError


class PlanningError(ServiceError):
    """A refused planning request; nothing was changed."""
