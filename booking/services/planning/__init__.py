"""The conversation planner: the solver over a unit's open obligations, closing the loop.

* :mod:`.problem` (with :mod:`.assemble`, :mod:`.rows`, :mod:`.refs`): the live planning
  problem of one or more units as a ``jobcenter-plan/1`` document (the solver's public
  format), ``export_plan``, the fingerprint and the row versions a proposal is checked by;
* :mod:`.runs`: a run per unit (queued, running, done or failed; one active per unit by the
  index ``uq_plan_runs_unit_active``), computed in the background, with its figures, proposals
  and unplanned conversations; event and nightly re-plans (:mod:`.scheduling` is how the task
  module starts them);
* :mod:`.resolve` and :mod:`.proposals`: solving without cancelling a booking, and what a
  solution proposes against the live bookings (new and moved bookings, each move with a reason
  code; the unplanned with the solver's codes);
* :mod:`.accept` and :mod:`.imports`: a run's proposals, or a solution document planned
  elsewhere, become bookings (letters through the outbox, audit) after a staleness check;
  :mod:`.apply` is the one way both write;
* :mod:`.city`: a city-sized municipality for ``python -m booking.bench plan``.

Modules are imported by name (``from booking.services.planning import runs``); this package
itself imports nothing, so the task module can register its scheduler cheaply.
"""
