"""Who starts a plan run in the background: the task module registers itself here.

``booking.tasks`` calls :func:`use_scheduler` when it is imported (the web app, the worker),
so the services can hand a new run to the queue without importing the task module. Where no
scheduler is registered (a bare script), a run stays queued until someone executes it.
"""

from __future__ import annotations

from collections.abc import Callable

# scheduler(run_id, trigger): trigger is a PlanTrigger value ("event" runs wait a little)
Scheduler = Callable[[int, str], None]

_scheduler: Scheduler | None = None


def use_scheduler(scheduler: Scheduler | None) -> None:
    """Make ``scheduler(run_id, trigger)`` the way new runs are started (process-wide)."""
    global _scheduler
    _scheduler = scheduler


def scheduler() -> Scheduler | None:
    return _scheduler
