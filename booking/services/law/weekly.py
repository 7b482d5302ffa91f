"""The caseworker's weekly list: timely / due within 3 weeks / overdue.

The weekly list (as Copenhagen's 2017 action plan describes it: "rettidige, borgere der falder
inden for 3 uger, og ikke rettidige borgere") judges each citizen by the statutory deadlines
(lovens frist) of the mandatory conversations the job centre holds; exempted obligations do not
count:

* **overdue**: a statutory deadline has passed and the obligation has not been met since,
  with the deadline within the last ``lookback_days`` — or, for a rule that accepts a late
  conversation, still owed (:func:`booking.rules.is_overdue`). A conversation held late
  fulfils it and clears the status; after the look-back a missed one whose period has closed
  no longer keeps the citizen here;
* **due soon**: otherwise, an open conversation that can still be held has its statutory
  deadline within ``due_soon_days`` from today (never a date in the past);
* **timely**: otherwise.

The planning date (planlagt senest, ``Obligation.deadline``) is shown beside it, labelled.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import rules
from ...models import (
    Booking,
    BookingState,
    Citizen,
    GroupSession,
    HeldConversation,
    Invitation,
    Obligation,
    ObligationState,
    Programme,
    Slot,
)
from ..obligations import BOOKABLE_KINDS, PENDING_INVITATION, as_rule_obligation, requirement_of

Status = rules.TimelinessStatus
INDICATOR_GROUP = "resource_programme"
PENDING = (ObligationState.open, ObligationState.booked)


def _counted(ob: Obligation) -> bool:
    return (
        ob.mandatory
        and ob.holder == "jobcentre"
        and ob.kind in BOOKABLE_KINDS
        and ob.state != ObligationState.waived
    )


def _closes(obligations: list[Obligation], group: str) -> dict[int, date | None]:
    """Per stored row, the last day an event can still fulfil it: its period's end (the
    latest statutory deadline of its requirement and period), ``None`` when its rule accepts a
    late event."""
    ends: dict[tuple[int, str], date] = {}
    for ob in obligations:
        period = ob.step_key.rsplit(":", 1)[0]
        key = (ob.programme_id, period)
        ends[key] = max(ends.get(key, ob.statutory_deadline), ob.statutory_deadline)
    closes: dict[int, date | None] = {}
    for ob in obligations:
        req = requirement_of(ob.rule_set_code, group, ob.step_key)
        late = req is not None and req.accept_late
        closes[ob.id] = None if late else ends[(ob.programme_id, ob.step_key.rsplit(":", 1)[0])]
    return closes


def classify(
    obligations: list[Obligation],
    groups: dict[int, str],
    today: date,
    *,
    due_soon_days: int,
    lookback_days: int,
) -> tuple[Status, Obligation | None]:
    """A citizen's bucket on ``today`` and the obligation that decides it (see the module
    docstring); ``groups``: the target group of each programme. Overdue is the engine's
    (:func:`booking.rules.is_overdue` with the look-back window)."""
    counted = [o for o in obligations if _counted(o)]
    since = today - timedelta(days=lookback_days)
    closes: dict[int, date | None] = {}
    for programme_id in {o.programme_id for o in counted}:
        mine = [o for o in counted if o.programme_id == programme_id]
        closes.update(_closes(mine, groups.get(programme_id, "")))
    engine = {
        o.id: as_rule_obligation(o, groups[o.programme_id], closes=closes.get(o.id))
        for o in counted if o.programme_id in groups
    }
    overdue = [o for o in counted if o.id in engine and rules.is_overdue(engine[o.id], today,
                                                                          since)]
    if overdue:
        return Status.OVERDUE, min(overdue, key=lambda o: (o.statutory_deadline, o.id))
    horizon = today + timedelta(days=due_soon_days)
    soon = [
        o for o in counted
        if o.id in engine and o.state in PENDING
        and not engine[o.id].met_by(today) and engine[o.id].can_still_be_fulfilled(today)
        and today <= o.statutory_deadline <= horizon
    ]
    if soon:
        return Status.DUE_SOON, min(soon, key=lambda o: (o.statutory_deadline, o.deadline))
    return Status.TIMELY, None


@dataclass
class CitizenLine:
    citizen: Citizen
    status: Status
    next_obligation: Obligation | None  # the next conversation to hold
    reason: Obligation | None = None  # the obligation deciding the status
    booked_at: datetime | None = None  # when the next (or deciding) one is booked
    group: str | None = None  # the running programme's target group
    # "conversation within the last N months" (resource programme); None: not shown
    indicator: bool | None = None

    @property
    def shown(self) -> Obligation | None:
        """The obligation the row shows: the deciding one, else the next."""
        return self.reason or self.next_obligation


@dataclass
class WeeklyList:
    today: date
    overdue: list[CitizenLine] = field(default_factory=list)
    due_soon: list[CitizenLine] = field(default_factory=list)
    timely: list[CitizenLine] = field(default_factory=list)
    indicator_months: int | None = None
    lookback_days: int = 0
    due_soon_days: int = 0

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.timely)

    @property
    def lines(self) -> list[CitizenLine]:
        return self.overdue + self.due_soon + self.timely

    @property
    def indicator_counts(self) -> tuple[int, int]:
        """(citizens with a conversation within the months, citizens shown the indicator)."""
        shown = [line.indicator for line in self.lines if line.indicator is not None]
        return sum(1 for v in shown if v), len(shown)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def indicator_months_for(today: date, fallback: int | None) -> int | None:
    """Months of the resource programme's indicator in the set in force today, else
    ``fallback`` (``[callin] indicator_months``)."""
    try:
        group = rules.rule_set_for_date(today).groups.get(rules.TargetGroup(INDICATOR_GROUP))
    except rules.RuleSetError:
        group = None
    if group is not None and group.indicator is not None:
        return group.indicator.months
    return fallback


def _held_days(session: Session, ids: list[int]) -> dict[int, list[date]]:
    days: dict[int, list[date]] = defaultdict(list)
    for citizen_id, day in session.execute(
        select(HeldConversation.citizen_id, HeldConversation.held_on).where(
            HeldConversation.citizen_id.in_(ids),
            HeldConversation.kind == "conversation",
            HeldConversation.holder == "jobcentre",
        )
    ):
        days[citizen_id].append(day)
    return days


def _booked_times(session: Session, ids: list[int]) -> dict[int, datetime]:
    """Obligation id → start of its live booking or pending group call-in."""
    times: dict[int, datetime] = {}
    for ob_id, at in session.execute(
        select(Booking.obligation_id, Slot.starts_at)
        .join(Slot, Slot.id == Booking.slot_id)
        .where(Booking.citizen_id.in_(ids), Booking.state == BookingState.booked)
    ):
        if ob_id is not None:
            times[ob_id] = at
    for ob_id, at in session.execute(
        select(Invitation.obligation_id, GroupSession.starts_at)
        .join(GroupSession, GroupSession.id == Invitation.session_id)
        .where(Invitation.citizen_id.in_(ids), Invitation.state.in_(PENDING_INVITATION))
    ):
        if ob_id is not None:
            times.setdefault(ob_id, at)
    return times


def _groups(session: Session, ids: list[int], today: date) -> dict[int, str]:
    """The target group of each citizen's running programme (latest start)."""
    groups: dict[int, str] = {}
    for citizen_id, group in session.execute(
        select(Programme.citizen_id, Programme.target_group)
        .where(Programme.citizen_id.in_(ids), Programme.start_date <= today)
        .where((Programme.end_date.is_(None)) | (Programme.end_date >= today))
        .order_by(Programme.start_date, Programme.id)
    ):
        groups[citizen_id] = group
    return groups


def weekly_list(
    session: Session,
    today: date,
    *,
    caseworker_id: int | None = None,
    unit_id: int | None = None,
    due_soon_days: int,
    lookback_days: int,
    indicator_months: int | None = None,
) -> WeeklyList:
    """Citizens of a caseworker (or unit) sorted into overdue / due soon / timely (module
    docstring); ``indicator_months`` marks resource-programme citizens seen within so many
    months (``None``: the set in force states it, or no indicator)."""
    stmt = select(Citizen)
    if caseworker_id is not None:
        stmt = stmt.where(Citizen.caseworker_id == caseworker_id)
    if unit_id is not None:
        stmt = stmt.where(Citizen.unit_id == unit_id)
    citizens = list(session.scalars(stmt.order_by(Citizen.name, Citizen.id)))
    months = indicator_months_for(today, indicator_months)
    result = WeeklyList(today=today, indicator_months=months, lookback_days=lookback_days,
                        due_soon_days=due_soon_days)
    if not citizens:
        return result
    ids = [c.id for c in citizens]
    by_citizen: dict[int, list[Obligation]] = defaultdict(list)
    programme_groups = {pid: group for pid, group in session.execute(
        select(Programme.id, Programme.target_group).where(Programme.citizen_id.in_(ids))
    )}
    for ob in session.scalars(
        select(Obligation)
        .where(
            Obligation.citizen_id.in_(ids),
            Obligation.kind.in_(BOOKABLE_KINDS),
            Obligation.holder == "jobcentre",
        )
        .order_by(Obligation.deadline, Obligation.id)
    ):
        by_citizen[ob.citizen_id].append(ob)
    held = _held_days(session, ids)
    booked = _booked_times(session, ids)
    groups = _groups(session, ids, today)
    for citizen in citizens:
        obs = by_citizen.get(citizen.id, [])
        status, reason = classify(
            obs, programme_groups, today,
            due_soon_days=due_soon_days, lookback_days=lookback_days,
        )
        pending = [o for o in obs if o.state in PENDING]
        upcoming = [o for o in pending if o.statutory_deadline >= today]
        nxt = (upcoming or pending)[0] if (upcoming or pending) else None
        line = CitizenLine(citizen, status, nxt, reason, group=groups.get(citizen.id))
        focus = [o for o in (reason, nxt) if o is not None]
        line.booked_at = next((booked[o.id] for o in focus if o.id in booked), None)
        if months is not None and line.group == INDICATOR_GROUP:
            start = months_before(today, months)
            line.indicator = any(start <= d <= today for d in held.get(citizen.id, []))
        getattr(result, status.value).append(line)
    result.overdue.sort(key=_line_deadline)
    result.due_soon.sort(key=_line_deadline)
    return result


def _line_deadline(line: CitizenLine) -> date:
    shown = line.shown
    return shown.statutory_deadline if shown else date.max
