"""Timeliness (rettidighed) of a citizen's obligations and the local 2-month indicator.

What counts as timely
---------------------
"Rettidig" means held on or before the **statutory** deadline; the planning deadlines that spread
N conversations over a period are a plan, and missing one is not a breach. So, for one citizen on
``today``, looking only at obligations that are mandatory and held by the job centre (the
unemployment fund's own conversations are its responsibility, not the job centre's indicator):

* **overdue** (ikke rettidig): some obligation is open with its statutory deadline before today,
  or was fulfilled after its statutory deadline. A late fulfilment is history that stays "not
  timely" for the period it belongs to; pass ``since`` to look only at obligations whose statutory
  deadline is on or after that day (e.g. the weekly list's 12-month look-back).
* **due_soon** (falder inden for 3 uger): otherwise, some open obligation's planning deadline is
  on or before ``today + due_soon_days`` (also when the planning deadline has already passed but
  the statutory one has not: the citizen is behind plan, not yet late).
* **timely** (rettidig): otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from .dates import months_before
from .model import BOOKABLE_KINDS, HeldConversation, Obligation, TimelinessStatus


def _counted(obligation: Obligation, since: date | None) -> bool:
    if not obligation.mandatory or obligation.holder != "jobcentre":
        return False
    return since is None or obligation.statutory_deadline >= since


def timeliness_status(
    obligations: Iterable[Obligation],
    today: date,
    *,
    due_soon_days: int = 21,
    since: date | None = None,
) -> TimelinessStatus:
    """Weekly-list bucket of one citizen on ``today`` (see the module docstring)."""
    counted = [o for o in obligations if _counted(o, since)]
    for o in counted:
        if o.fulfilled_on is None and o.statutory_deadline < today:
            return TimelinessStatus.OVERDUE
        if o.fulfilled_on is not None and o.fulfilled_on > o.statutory_deadline:
            return TimelinessStatus.OVERDUE
    horizon = today + timedelta(days=due_soon_days)
    if any(o.fulfilled_on is None and o.deadline <= horizon for o in counted):
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
