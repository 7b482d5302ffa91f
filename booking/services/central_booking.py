"""Central booking: call-in staff book a time for a citizen the job centre must book for.

The page of one obligation (:func:`booking_page`) suggests times first: the seat the latest plan
run of the citizen's unit proposes for it (when that seat is still free), then the earliest
free times; then it lists the free times day by day. Staff are not bound by the citizen's
self-booking window: a time may lie from tomorrow (or the obligation's ``earliest``) up to
``[planning] horizon_weeks`` weeks after the statutory deadline (*lovens frist*). A time after
the statutory deadline is marked, and booking it needs the staff member's confirmation
(refusal ``past_statutory`` otherwise). The other hard rules are those of self-booking and of
the solver: the citizen's coordinating caseworker (or the unit pool), a channel both the
conversation and the citizen allow, a slot at least as long as the conversation, not in a
group call-in, not on a closed day or in an absence, a free seat, one conversation per citizen
and day. The slot need not be open to self-booking.

:func:`book_centrally` is one unit of work of its own, as :func:`.reservations.book` is, and
uses its pieces: the rows locked in the same order, the first free seat, the partial unique
indexes as the last word (a lost race is ``slot_taken`` with the nearest free times), a
repeated submit (same ``request_key``) returning the booking it made. The booking has source
``callin`` and the staff member as its creator; the letters with the ``.ics`` go through the
outbox exactly as for a self-booking (:func:`.booking_notices.notify_booked`).

Refusals are :class:`~.reservations.ReservationError`: ``not_found``, ``already_booked``,
``not_bookable``, ``slot_taken`` and ``past_statutory`` (``day``, ``statutory_deadline``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..database import transaction
from ..models import (
    ActorKind,
    Booking,
    BookingSource,
    BookingState,
    Caseworker,
    Channel,
    Citizen,
    Obligation,
    ObligationState,
    PlanRun,
    Slot,
)
from ..principal import StaffPrincipal
from ..settings import Settings
from . import audit
from .booking_notices import notify_booked
from .calendar_days import local_datetime
from .callin.history import record_seen
from .callin.list_pages import CentralPage, central_page
from .clock import now_utc, zone
from .errors import NotFound
from .obligations import BOOKABLE_KINDS
from .planning.accept import ACCEPTABLE
from .planning.rows import load_calendar
from .planning.scope import sees_unit
from .reservations import Outcome, ReservationError, _free_seat, _integrity_code, _locked, _replay
from .slot_search import allowed_channels, self_booking_until

SUGGESTED = 3  # suggested times at most (the plan's seat, then the earliest)


@dataclass(frozen=True)
class TimeOption:
    slot_id: int
    starts_at: datetime  # aware UTC
    minutes: int
    channel: str
    location: str | None
    caseworker_name: str
    free_seats: int
    after_deadline: bool  # after the planned deadline (planlagt senest)
    late: bool  # after the statutory deadline (lovens frist): needs a confirmation

    @property
    def local_day(self) -> date:
        return self.starts_at.astimezone(zone()).date()

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Window:
    first: date
    last: date


def staff_window(ob: Obligation, today: date, settings: Settings) -> Window:
    """The days staff may book on (see the module docstring)."""
    first = max(ob.earliest, today + timedelta(days=1))
    last = max(ob.statutory_deadline, ob.deadline, today) + timedelta(
        weeks=settings.planning.horizon_weeks)
    return Window(first, last)


def _utc(day: date) -> datetime:
    return local_datetime(day, time(0, 0)).astimezone(UTC)


def free_times(
    session: Session,
    ob: Obligation,
    settings: Settings,
    *,
    first: date,
    last: date,
    slot_ids: Iterable[int] | None = None,
    limit: int | None = None,
) -> list[TimeOption]:
    """The times staff may book for ``ob`` between ``first`` and ``last``, earliest first."""
    citizen = ob.citizen
    channels = allowed_channels(ob, citizen)
    if last < first or not channels:
        return []
    taken = (select(func.count(Booking.id))
             .where(Booking.slot_id == Slot.id, Booking.state != BookingState.cancelled)
             .correlate(Slot).scalar_subquery())
    stmt = (
        select(Slot, Caseworker.name, (Slot.capacity - taken).label("free"))
        .join(Caseworker, Caseworker.id == Slot.caseworker_id)
        .where(Slot.group_session_id.is_(None), Caseworker.active.is_(True),
               Slot.channel.in_([Channel(c) for c in channels]), Slot.minutes >= ob.minutes,
               taken < Slot.capacity, Slot.starts_at >= _utc(first),
               Slot.starts_at < _utc(last + timedelta(days=1)))
        .order_by(Slot.starts_at, Slot.id)
    )
    if ob.pool == "caseworker" and citizen.caseworker_id is not None:
        stmt = stmt.where(Slot.caseworker_id == citizen.caseworker_id)
    else:
        stmt = stmt.where(Caseworker.unit_id == citizen.unit_id)
    if slot_ids is not None:
        stmt = stmt.where(Slot.id.in_(list(slot_ids)))
    rows = session.execute(stmt).all()
    busy = {at.astimezone(zone()).date() for at in session.scalars(
        select(Slot.starts_at).join(Booking, Booking.slot_id == Slot.id)
        .where(Booking.citizen_id == citizen.id, Booking.state == BookingState.booked))}
    calendar = load_calendar(session, {slot.caseworker_id for slot, _, _ in rows}, first, last,
                             settings.calendar.optional_closed)
    out: list[TimeOption] = []
    for slot, name, free in rows:
        start = slot.starts_at
        end = start + timedelta(minutes=slot.minutes)
        day = start.astimezone(zone()).date()
        if day in busy or day in calendar.closed or any(
                a < end and start < b for a, b in calendar.absences.get(slot.caseworker_id, ())):
            continue
        out.append(TimeOption(slot.id, start, slot.minutes, slot.channel.value, slot.location,
                              name, int(free), day > ob.deadline, day > ob.statutory_deadline))
        if limit is not None and len(out) >= limit:
            break
    return out


# --- the list and the page of one obligation -----------------------------------------------


@dataclass(frozen=True)
class CentralList:
    page: CentralPage
    plannable: frozenset[int]  # obligations the user may plan with the solver


def central_list(session: Session, user: StaffPrincipal, today: date, settings: Settings
                 ) -> CentralList:
    """The central-booking list (audited and committed as :func:`.callin.list_pages.
    central_page` does), with the obligations the user may hand to the planner."""
    page = central_page(session, today, local_days=settings.rules.self_booking_days,
                        staff_id=user.staff_id)
    plannable = frozenset(item.obligation.id for item in page.items
                          if sees_unit(user, item.obligation.citizen.unit_id))
    return CentralList(page, plannable)


@dataclass(frozen=True)
class BookingPage:
    obligation: Obligation
    citizen: Citizen
    booking: Booking | None  # the live booking, when the conversation is booked already
    today: date
    self_booking_until: date
    window: Window
    start: date  # the list of free times begins on this day
    suggestions: list[TimeOption]
    plan_run_id: int | None  # the run whose proposal is the first suggestion
    days: dict[date, list[TimeOption]]
    next_start: date | None  # more free times from this day
    bad_start: bool  # the day asked for could not be read (the list begins at the first day)

    @property
    def any_late(self) -> bool:
        """Does a time shown lie after the statutory deadline (a confirmation is asked)?"""
        shown = [*self.suggestions, *(o for day in self.days.values() for o in day)]
        return any(o.late for o in shown)


def _obligation(session: Session, obligation_id: int) -> Obligation:
    ob = session.get(Obligation, obligation_id)
    if ob is None or ob.kind not in BOOKABLE_KINDS or ob.holder != "jobcentre":
        raise NotFound("obligation")
    return ob


def _plan_seat(session: Session, ob: Obligation) -> tuple[int, int] | None:
    """(run id, slot id) the latest finished run of the citizen's unit proposes for ``ob``."""
    run = session.scalars(select(PlanRun).where(
        PlanRun.unit_id == ob.citizen.unit_id, PlanRun.state.in_(ACCEPTABLE))
        .order_by(PlanRun.id.desc()).limit(1)).first()
    if run is None:
        return None
    for p in run.proposals or []:
        if p.get("obligation_id") == ob.id and p["status"] == "proposed" and p["kind"] == "new":
            return run.id, int(p["slot_id"])
    return None


def _start(raw: str | None, window: Window) -> tuple[date, bool]:
    if not raw:
        return window.first, False
    try:
        day = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return window.first, True
    return min(max(day, window.first), window.last), False


def booking_page(
    session: Session,
    obligation_id: int,
    *,
    staff_id: int | None,
    settings: Settings,
    today: date,
    start: str | None = None,
) -> BookingPage:
    """The suggested and free times for one obligation (``start``: an ISO day the list begins
    on); :class:`NotFound` for no such bookable obligation. The citizen shown is audited
    (``callin_central_booking_view``) and committed."""
    with transaction(session):
        ob = _obligation(session, obligation_id)
        record_seen(session, staff_id, "callin_central_booking_view", [ob.citizen_id],
                    object_type="obligation", object_id=ob.id)
        booking = session.scalars(select(Booking).where(
            Booking.obligation_id == ob.id, Booking.state == BookingState.booked)).first()
        window = staff_window(ob, today, settings)
        first, bad_start = _start(start, window)
        suggestions: list[TimeOption] = []
        run_id: int | None = None
        days: dict[date, list[TimeOption]] = {}
        next_start: date | None = None
        if booking is None and ob.state == ObligationState.open:
            seat = _plan_seat(session, ob)
            if seat is not None:
                found = free_times(session, ob, settings, first=window.first, last=window.last,
                                   slot_ids=[seat[1]])
                if found:
                    suggestions, run_id = found, seat[0]
            earliest = free_times(session, ob, settings, first=window.first, last=window.last,
                                  limit=SUGGESTED + 1)
            chosen = {s.slot_id for s in suggestions}
            suggestions += [o for o in earliest if o.slot_id not in chosen]
            suggestions = suggestions[:SUGGESTED]
            shown = settings.booking.slots_shown
            options = free_times(session, ob, settings, first=first, last=window.last,
                                 limit=shown + 1)
            for option in options[:shown]:
                days.setdefault(option.local_day, []).append(option)
            if len(options) > shown:
                next_start = options[shown].local_day
                if next_start == first:
                    next_start = None  # a day with more times than a page: shown as it is
        return BookingPage(ob, ob.citizen, booking, today, self_booking_until(ob, settings),
                           window, first, suggestions, run_id, days, next_start, bad_start)


# --- booking -------------------------------------------------------------------------------


def _taken(session: Session, obligation_id: int, slot_id: int, settings: Settings,
           today: date) -> ReservationError:
    """After a rollback: ``slot_taken`` with the free times nearest the one just lost."""
    ob = session.get(Obligation, obligation_id)
    slot = session.get(Slot, slot_id)
    if ob is None or slot is None:
        return ReservationError("slot_taken")
    window = staff_window(ob, today, settings)
    options = free_times(session, ob, settings, first=window.first, last=window.last)
    options.sort(key=lambda o: (abs((o.starts_at - slot.starts_at).total_seconds()),
                                o.starts_at))
    nearest: list[Any] = sorted(options[:3], key=lambda o: o.starts_at)
    session.rollback()
    return ReservationError("slot_taken", nearest)


def book_centrally(
    session: Session,
    *,
    staff_id: int | None,
    obligation_id: int,
    slot_id: int,
    confirm_late: bool,
    request_key: str | None,
    settings: Settings,
    now: datetime | None = None,
) -> Outcome:
    """Book ``slot_id`` for the obligation on the citizen's behalf; commits, or raises
    :class:`ReservationError` with nothing changed (see the module docstring)."""
    now = now or now_utc()
    today = now.astimezone(zone()).date()
    try:
        with transaction(session):
            ob = _locked(session, Obligation, obligation_id)
            if ob is None or ob.kind not in BOOKABLE_KINDS or ob.holder != "jobcentre":
                raise ReservationError("not_found")
            replay = _replay(session, ob.citizen_id, request_key)
            if replay is not None:
                return Outcome(replay, replayed=True)
            if ob.state != ObligationState.open:
                raise ReservationError("already_booked")
            slot = _locked(session, Slot, slot_id)
            if slot is None:
                raise ReservationError("not_bookable")
            window = staff_window(ob, today, settings)
            found = free_times(session, ob, settings, first=window.first, last=window.last,
                               slot_ids=[slot.id])
            seat = _free_seat(session, slot)
            if seat is None:
                raise ReservationError("slot_taken")
            if not found:
                raise ReservationError("not_bookable")
            if found[0].late and not confirm_late:
                raise ReservationError("past_statutory", day=found[0].local_day.isoformat(),
                                       statutory_deadline=ob.statutory_deadline.isoformat())
            booking = Booking(slot_id=slot.id, seat=seat, citizen_id=ob.citizen_id,
                              obligation_id=ob.id, state=BookingState.booked,
                              source=BookingSource.callin,
                              ical_uid=f"{uuid.uuid4()}@rettidig", ical_sequence=0,
                              request_key=request_key or None, created_by_staff_id=staff_id)
            session.add(booking)
            session.flush()
            ob.state = ObligationState.booked
            audit.record(session, actor_kind=ActorKind.staff, actor_id=staff_id,
                         action="booking_created", citizen_id=ob.citizen_id,
                         object_type="booking", object_id=booking.id,
                         detail={"slot_id": slot.id, "obligation_id": ob.id, "seat": seat,
                                 "central": True, "past_statutory": found[0].late})
            messages = notify_booked(session, booking, settings, now, rebooked=False)
        return Outcome(booking, messages=messages)
    except ReservationError as exc:
        if exc.code == "slot_taken" and not exc.alternatives:
            raise _taken(session, obligation_id, slot_id, settings, today) from None
        raise
    except IntegrityError as exc:
        code = _integrity_code(exc)
        session.rollback()
        if code == "replay":
            found_booking = session.scalar(select(Booking).where(
                Booking.request_key == request_key))
            if found_booking is not None and found_booking.obligation_id == obligation_id:
                return Outcome(found_booking, replayed=True)
            raise ReservationError("already_booked") from None
        if code == "already_booked":
            raise ReservationError("already_booked") from None
        raise _taken(session, obligation_id, slot_id, settings, today) from None
