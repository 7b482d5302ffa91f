"""Booking policies compared by the simulation, all on the same world and the same draws.

* `today`      — today's practice: each citizen self-books first-come from the slots open before
                 their deadline (early, late or never, as drawn for the citizen); the job centre
                 books centrally only after the self-booking deadline, and after a no-show.
* `edf`        — earliest-deadline-first greedy: every working day the job centre books every
                 waiting conversation, earliest deadline first, into the earliest free seat.
* `solver`     — the solver, re-planning weekly: bookings of the next `lock_days` are kept, the
                 rest may move; show probabilities (each citizen's own, from the scenario's
                 distribution, never the outcomes) drive the solver's robustness objective; group
                 call-ins take the citizens least likely to come, invited until the expected
                 arrivals fill the pool's seats (`group_fill`). New needs are added on the other
                 working days by the same rules (group call-in first for the unlikely, else the
                 earliest free seat). Overbooking (`overbook`): a citizen may be double-booked
                 into a seat that holds one other when both come with a chance of at most
                 `[policy] overbook_risk` (if both come, one is turned away and rebooked); seats
                 freed so go, at the re-plan, to needs placed after their planning target.
                 Pooled windows (`pool`, with `[policy] pool_risk` > 0): on a day without a
                 group call-in with room, the policy pools the unit's free morning seats into a
                 window and invites the citizens least likely to come, sized by the exact
                 Poisson-binomial so that P(arrivals > present seats) stays within
                 `pool_risk` (a pooled caseworker away with the sickness seen so far).
                 Cover (`sessions`): a citizen whose seat is their last chance (a new
                 call-in after a sick caseworker's cancellation could not be on time) goes
                 to a group call-in of two caseworkers or more on or before that day.
* `clairvoyant` — a reference, not a policy: the solver policy that knows who will not come.
                 It books each conversation at the attempt that will succeed (the misses before
                 it cost nothing) and fills group call-ins with anyone of the unit.

Central bookings are made at least `notice_days` ahead (the call-in letter); self-bookers may
take any free seat from tomorrow. Rehabilitation cases: `today` books the first meeting that
the material can reach once it is ready (first ready, first served); `edf` the same, earliest
deadline first; `solver` and `clairvoyant` plan them with the solver every week.
"""

from __future__ import annotations

from .policy import Policy
from .practice import EarliestDeadline, TodayPractice
from .solver_policy import Clairvoyant, SolverPolicy

POLICIES: dict[str, type[Policy]] = {
    p.name: p for p in (TodayPractice, EarliestDeadline, SolverPolicy, Clairvoyant)}

__all__ = ["POLICIES", "Clairvoyant", "EarliestDeadline", "Policy", "SolverPolicy",
           "TodayPractice"]
