"""Timeliness (rettidighed) of a citizen's obligations and the local 2-month indicator.

What counts as timely
---------------------
"Rettidig" means held on or before the **statutory** deadline; the planning deadlines that spread
N conversations over a period are a plan, and missing one is not a breach. The weekly list sorts
a citizen on ``today`` by the obligations that are mandatory and held by the job centre (the
unemployment fund's own conversations are its responsibility, not the job centre's list):

* **overdue** (ikke rettidig): some obligation's statutory deadline has passed (is before
  ``today``) and it has not been met by ``today`` — and either that deadline lies within the
  look-back window (on or after ``since``) or the obligation can still be met (``accept_late``:
  it is still owed, so it stays overdue until held). A missed conversation whose period has
  closed therefore keeps the citizen overdue only while its deadline is within the window (the
  app's ``overdue_lookback_days``); a conversation held late fulfils its obligation (late) and
  clears the overdue status from the day it is held. ``since=None``: no window.
* **due_soon** (falder inden for 3 uger): otherwise, some obligation not met by ``today`` that
  can still be met has its planning deadline on or before ``today + due_soon_days`` (also when
  the planning deadline has already passed but the statutory one has not: behind plan, not late).
* **timely** (rettidig): otherwise.

Late fulfilments remain visible on each obligation (:attr:`Obligation.fulfilled_late`) for the
timeliness indicator, which is a different measure from the weekly list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from .dates import months_before
from .model import BOOKABLE_KINDS, HeldConversation, Obligation, TimelinessStatus


def _counted(obligation: Obligation) -> bool:
    return obligation.mandatory and obligation.holder == "jobcentre"


def is_overdue(obligation: Obligation, today: date, since: date | None = None) -> bool:
    """The weekly list's "overdue" for one obligation (see the module docstring)."""
    if not _counted(obligation) or obligation.statutory_deadline >= today:
        return False
    if obligation.met_by(today):
        return False
    in_window = since is None or obligation.statutory_deadline >= since
    return in_window or obligation.can_still_be_fulfilled(today)


def timeliness_status(
    obligations: Iterable[Obligation],
    today: date,
    *,
    due_soon_days: int = 21,
    since: date | None = None,
) -> TimelinessStatus:
    """Weekly-list bucket of one citizen on ``today`` (see the module docstring); ``since`` is
    the first day of the look-back window (``today − overdue_lookback_days``)."""
    counted = [o for o in obligations if _counted(o)]
    if any(is_overdue(o, today, since) for o in counted):
        return TimelinessStatus.OVERDUE
    horizon = today + timedelta(days=due_soon_days)
    if any(not o.met_by(today) and o.can_still_be_fulfilled(today) and o.deadline <= horizon
           for o in counted):
        return TimelinessStatus.DUE_SOON
    return TimelinessStatus.TIMELY


def next_open_obligation(
    obligations: Iterable[Obligation],
    today: date,
    *,
    kinds: Sequence[str] = BOOKABLE_KINDS,
) -> Obligation | None:
    """The obligation to book next: open, held by the job centre, of a bookable kind, still
    fulfillable on ``today`` (a missed slot whose period has closed cannot be booked any more);
    earliest planning deadline first, then statutory deadline."""
    candidates = [
        o
        for o in obligations
        if o.holder == "jobcentre" and o.kind in kinds and o.can_still_be_fulfilled(today)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda o: (o.deadline, o.statutory_deadline, o.earliest))


def had_conversation_within(
    held: Iterable[HeldConversation], today: date, *, months: int = 2
) -> bool:
    """"Samtale inden for de seneste 2 måneder": a conversation on a day in
    ``[today − months calendar months, today]`` (2017-05-31 looks back to 2017-03-31 inclusive).
    Rolling, local, not statutory; only events of kind ``conversation`` count."""
    if months < 0:
        raise ValueError("months must not be negative")
    start = months_before(today, months)
    return any(h.kind == "conversation" and start <= h.date <= today for h in held)
