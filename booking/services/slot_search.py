"""Which slots a citizen may self-book for an obligation.

A slot is open to the citizen when it lies inside the obligation's window, from tomorrow on and
no later than the self-booking deadline; its channel is one the obligation allows and the
citizen can use; it belongs to the citizen's coordinating caseworker (pool ``caseworker``) or to
a caseworker of the citizen's unit (pool ``unit``); it is self-bookable, has a free seat, and the
citizen has no other booking that day. Earliest first.

The slot must also be at least as long as the conversation (the rule set's ``minutes``), the
same hard rule the solver keeps (plan-format rule 3).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from .. import rules
from ..models import Booking, BookingState, Caseworker, Channel, Citizen, Obligation, Slot
from ..settings import Settings
from .calendar_days import local_datetime, week_monday
from .clock import zone
from .obligations import as_rule_obligation

CHANNEL_ORDER = ("in_person", "phone", "video")


@dataclass(frozen=True)
class SlotOption:
    slot_id: int
    starts_at: datetime  # aware UTC
    minutes: int
    channel: str
    location: str | None
    caseworker_name: str
    free_seats: int

    @property
    def local_day(self) -> date:
        return self.starts_at.astimezone(zone()).date()

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Window:
    first_day: date
    last_day: date

    @property
    def empty(self) -> bool:
        return self.last_day < self.first_day


def self_booking_until(ob: Obligation, settings: Settings) -> date:
    """The citizen's own booking deadline for ``ob`` (rule set floor, local setting above it)."""
    rule_set = rules.load_rule_set(ob.rule_set_code)
    return rules.self_booking_deadline(
        rule_set,
        as_rule_obligation(ob, ob.programme.target_group),
        local_days=settings.rules.self_booking_days,
    )


def booking_window(ob: Obligation, until: date, today: date) -> Window:
    """Days the citizen may choose: tomorrow (or ``earliest``) to the self-booking deadline."""
    return Window(max(ob.earliest, today + timedelta(days=1)), min(until, ob.deadline))


def allowed_channels(ob: Obligation, citizen: Citizen) -> list[str]:
    """The obligation's channels the citizen can use, in a fixed order."""
    mine = set(citizen.channels or CHANNEL_ORDER)
    return [c for c in CHANNEL_ORDER if c in ob.channels and c in mine]


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = local_datetime(first, time(0, 0)).astimezone(UTC)
    end = local_datetime(last + timedelta(days=1), time(0, 0)).astimezone(UTC)
    return start, end


def _taken_seats() -> Any:
    return (
        select(func.count(Booking.id))
        .where(Booking.slot_id == Slot.id, Booking.state != BookingState.cancelled)
        .correlate(Slot)
        .scalar_subquery()
    )


def _base_query(ob: Obligation, citizen: Citizen, channels: Sequence[str]) -> Select[Any]:
    """The open slots' columns (no ORM objects: a page lists many and changes none)."""
    return _open_slots(citizen, channels, ob.minutes, _own_caseworker(ob, citizen))


def _own_caseworker(ob: Obligation, citizen: Citizen) -> bool:
    """Pool ``caseworker``: only the coordinating caseworker's slots (else the unit's)."""
    return ob.pool == "caseworker" and citizen.caseworker_id is not None


def _open_slots(
    citizen: Citizen, channels: Iterable[str], minutes: int, own_caseworker: bool
) -> Select[Any]:
    taken = _taken_seats()
    stmt = (
        select(
            Slot.id,
            Slot.starts_at,
            Slot.minutes,
            Slot.channel,
            Slot.location,
            Caseworker.name,
            (Slot.capacity - taken).label("free"),
        )
        .join(Caseworker, Caseworker.id == Slot.caseworker_id)
        .where(
            Slot.self_bookable.is_(True),
            Slot.group_session_id.is_(None),
            Caseworker.active.is_(True),
            Slot.channel.in_([Channel(c) for c in channels]),
            Slot.minutes >= minutes,
            taken < Slot.capacity,
        )
    )
    if own_caseworker:
        stmt = stmt.where(Slot.caseworker_id == citizen.caseworker_id)
    else:
        stmt = stmt.where(Caseworker.unit_id == citizen.unit_id)
    return stmt


def busy_days(session: Session, citizen_id: int, ignore_booking_id: int | None) -> set[date]:
    """Local days on which the citizen has a live booking (but ``ignore_booking_id``)."""
    stmt = (
        select(Slot.starts_at)
        .join(Booking, Booking.slot_id == Slot.id)
        .where(Booking.citizen_id == citizen_id, Booking.state == BookingState.booked)
    )
    if ignore_booking_id is not None:
        stmt = stmt.where(Booking.id != ignore_booking_id)
    return {at.astimezone(zone()).date() for at in session.scalars(stmt)}


def bookable_slots(
    session: Session,
    citizen: Citizen,
    ob: Obligation,
    *,
    until: date,
    today: date,
    channel: str | None = None,
    week: date | None = None,
    slot_ids: Iterable[int] | None = None,
    ignore_booking_id: int | None = None,
    limit: int | None = None,
    busy: set[date] | None = None,
) -> list[SlotOption]:
    """Slots the citizen may book for ``ob``, earliest first.

    ``channel`` and ``week`` (a Monday) narrow the choice; ``slot_ids`` checks given slots;
    ``ignore_booking_id`` is the booking being moved (its day does not count as busy);
    ``busy``: the citizen's :func:`busy_days` when the caller has them (one query fewer).
    """
    window = booking_window(ob, until, today)
    channels = allowed_channels(ob, citizen)
    if channel is not None:
        channels = [c for c in channels if c == channel]
    if window.empty or not channels:
        return []
    first, last = window.first_day, window.last_day
    if week is not None:
        first, last = max(first, week), min(last, week + timedelta(days=6))
        if last < first:
            return []
    start, end = _day_bounds(first, last)
    stmt = _base_query(ob, citizen, channels).where(Slot.starts_at >= start, Slot.starts_at < end)
    if slot_ids is not None:
        stmt = stmt.where(Slot.id.in_(list(slot_ids)))
    if busy is None:
        busy = busy_days(session, citizen.id, ignore_booking_id)
    stmt = _not_on(stmt, busy, first, last).order_by(Slot.starts_at, Slot.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_option(row) for row in session.execute(stmt)]


def _not_on(stmt: Select[Any], busy: set[date], first: date, last: date) -> Select[Any]:
    """Leave out, in SQL, the days from ``first`` to ``last`` the citizen already has a booking."""
    for day in sorted(d for d in busy if first <= d <= last):
        day_start, day_end = _day_bounds(day, day)
        stmt = stmt.where(or_(Slot.starts_at < day_start, Slot.starts_at >= day_end))
    return stmt


def _option(row: Any) -> SlotOption:
    return SlotOption(
        slot_id=row.id,
        starts_at=row.starts_at,
        minutes=row.minutes,
        channel=row.channel.value,
        location=row.location,
        caseworker_name=row.name,
        free_seats=int(row.free),
    )


# rows read for the first free time of every conversation at once, before asking one by one
FIRST_FREE_ROWS = 60


def first_free(
    session: Session,
    citizen: Citizen,
    wanted: Sequence[tuple[Obligation, date]],
    *,
    today: date,
    busy: set[date],
) -> dict[int, SlotOption | None]:
    """The earliest slot the citizen may book for each ``(obligation, self-booking deadline)``
    (the overview's "first free time"), by obligation id: what ``bookable_slots(…, limit=1)``
    gives each, in one query for all of them where it can (the earliest free slots over all
    their windows, matched here to each obligation's days, channels and length)."""
    found: dict[int, SlotOption | None] = {}
    plans: list[tuple[Obligation, Window, set[str]]] = []
    deadline = {ob.id: until for ob, until in wanted}

    def alone(ob: Obligation) -> SlotOption | None:
        options = bookable_slots(
            session, citizen, ob, until=deadline[ob.id], today=today, limit=1, busy=busy
        )
        return options[0] if options else None

    for ob, until in wanted:
        window, channels = booking_window(ob, until, today), allowed_channels(ob, citizen)
        found[ob.id] = None
        if not window.empty and channels:
            plans.append((ob, window, set(channels)))
    if not plans:
        return found
    if len(plans) == 1 or len({_own_caseworker(ob, citizen) for ob, _w, _c in plans}) > 1:
        for ob, _window, _channels in plans:  # one or mixed pools: one query each
            found[ob.id] = alone(ob)
        return found
    first = min(w.first_day for _ob, w, _c in plans)
    last = max(w.last_day for _ob, w, _c in plans)
    start, end = _day_bounds(first, last)
    stmt = _open_slots(
        citizen,
        sorted(set().union(*(c for _ob, _w, c in plans))),
        min(ob.minutes for ob, _w, _c in plans),
        _own_caseworker(plans[0][0], citizen),
    ).where(Slot.starts_at >= start, Slot.starts_at < end)
    stmt = _not_on(stmt, busy, first, last).order_by(Slot.starts_at, Slot.id)
    rows = session.execute(stmt.limit(FIRST_FREE_ROWS)).all()
    open_plans = list(plans)
    for row in rows:
        option = _option(row)
        for plan in list(open_plans):
            ob, window, allowed = plan
            if (
                window.first_day <= option.local_day <= window.last_day
                and option.channel in allowed
                and option.minutes >= ob.minutes
            ):
                found[ob.id] = option
                open_plans.remove(plan)
        if not open_plans:
            return found
    if len(rows) == FIRST_FREE_ROWS:  # not all found among the earliest: ask the others alone
        for ob, _window, _channels in open_plans:
            found[ob.id] = alone(ob)
    return found


def weeks_with_slots(
    session: Session, citizen: Citizen, ob: Obligation, *, until: date, today: date
) -> list[date]:
    """Mondays of the weeks that hold at least one bookable slot (for the week filter)."""
    days = {o.local_day for o in bookable_slots(session, citizen, ob, until=until, today=today)}
    return sorted({week_monday(d) for d in days})


def nearest_alternatives(
    session: Session,
    citizen: Citizen,
    ob: Obligation,
    around: datetime,
    *,
    until: date,
    today: date,
    count: int = 3,
    ignore_booking_id: int | None = None,
) -> list[SlotOption]:
    """The ``count`` bookable slots closest in time to ``around`` (a slot just taken)."""
    options = bookable_slots(
        session, citizen, ob, until=until, today=today, ignore_booking_id=ignore_booking_id
    )
    options.sort(key=lambda o: (abs((o.starts_at - around).total_seconds()), o.starts_at))
    return sorted(options[:count], key=lambda o: o.starts_at)


def obligations_without_slots(
    session: Session, candidates: Sequence[tuple[Obligation, date]], today: date
) -> list[Obligation]:
    """Of (obligation, self-booking deadline) pairs still open for self-booking, those for which
    no free slot remains in the window (only where slots are published that far ahead).

    One query for all free slots; per obligation a binary search (the same-day rule is left
    out here: it can only hide slots, so the citizen's own page may find none where this finds
    one, never the other way round).
    """
    if not candidates:
        return []
    horizon = session.scalar(select(func.max(Slot.starts_at)))
    if horizon is None:
        return [ob for ob, _ in candidates]
    horizon_day = horizon.astimezone(zone()).date()
    start, _ = _day_bounds(today + timedelta(days=1), today + timedelta(days=1))
    taken = _taken_seats()
    rows = session.execute(
        select(Slot.caseworker_id, Caseworker.unit_id, Slot.channel, Slot.minutes, Slot.starts_at)
        .join(Caseworker, Caseworker.id == Slot.caseworker_id)
        .where(
            Slot.self_bookable.is_(True),
            Slot.group_session_id.is_(None),
            Caseworker.active.is_(True),
            Slot.starts_at >= start,
            taken < Slot.capacity,
        )
        .order_by(Slot.starts_at)
    )
    index: dict[tuple[str, int, str, int], list[date]] = {}
    for cw_id, unit_id, channel, minutes, starts_at in rows:
        day = starts_at.astimezone(zone()).date()
        index.setdefault(("cw", cw_id, channel.value, minutes), []).append(day)
        index.setdefault(("unit", unit_id, channel.value, minutes), []).append(day)
    lengths = sorted({k[3] for k in index})
    out = []
    for ob, until in candidates:
        window = booking_window(ob, until, today)
        if window.last_day > horizon_day:
            continue  # slots for the whole window are not published yet
        citizen = ob.citizen
        if ob.pool == "caseworker" and citizen.caseworker_id is not None:
            key: tuple[str, int] = ("cw", citizen.caseworker_id)
        else:
            key = ("unit", citizen.unit_id)
        found = False
        for allowed in allowed_channels(ob, citizen):
            for minutes in (m for m in lengths if m >= ob.minutes):
                days = index.get((*key, allowed, minutes), [])
                i = bisect.bisect_left(days, window.first_day)
                if i < len(days) and days[i] <= window.last_day:
                    found = True
                    break
            if found:
                break
        if not found:
            out.append(ob)
    return out
