"""What a citizen sees about themselves: due conversations, free times, their bookings.

Each ``…_page`` function returns a view-model for one page of the citizen's own site. Only the
citizen's own obligations and bookings are shown: anything else is :class:`NotFound`. A page
that the audit trail records (the overview, the free times, a booking) stays a read: its audit
entry is stamped when the page is read and written with the other views of the moment by
:mod:`booking.services.read_audit` (no commit per page view).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager, joinedload

from .. import rules
from ..models import ActorKind, Booking, BookingState, Citizen, Obligation, ObligationState, Slot
from ..settings import Settings
from . import booking_mail, read_audit
from .calendar_days import week_monday
from .citizen_days import DayChoice, FilterProblem, chosen_day, week_of
from .clock import now_utc, zone
from .errors import NotFound
from .obligations import as_rule_obligation, open_obligations
from .reservations import changeable, cutoff_hours
from .slot_search import (
    SlotOption,
    allowed_channels,
    bookable_slots,
    first_free,
    self_booking_until,
)


@dataclass
class DueItem:
    obligation: Obligation
    self_booking_until: date
    booking: Booking | None
    # "booked", "bookable", "deadline_passed" (the job centre books) or "no_slots" (none left
    # before the self-booking deadline: the job centre books too)
    status: str = "bookable"
    first_free: SlotOption | None = None
    changeable: bool = False


@dataclass
class CitizenOverview:
    today: date
    due: list[DueItem] = field(default_factory=list)


def citizen_overview(
    session: Session, citizen: Citizen, settings: Settings, *, now: datetime | None = None
) -> CitizenOverview:
    now = now or now_utc()
    today = now.astimezone(zone()).date()
    overview = CitizenOverview(today=today)
    live = session.scalars(
        select(Booking)
        .join(Slot)
        .options(contains_eager(Booking.slot))
        .where(Booking.citizen_id == citizen.id, Booking.state == BookingState.booked)
    ).all()
    bookings = {b.obligation_id: b for b in live}
    busy = {b.slot.starts_at.astimezone(zone()).date() for b in live}  # as slot_search.busy_days
    local_days = settings.rules.self_booking_days
    for ob in open_obligations(session, citizen.id):
        rule_set = rules.load_rule_set(ob.rule_set_code)
        until = rules.self_booking_deadline(
            rule_set, as_rule_obligation(ob, ob.programme.target_group), local_days=local_days
        )
        item = DueItem(ob, until, bookings.get(ob.id))
        if item.booking is not None:
            item.status = "booked"
            item.changeable = changeable(item.booking, settings, now)
        elif until < today or until < ob.earliest:
            item.status = "deadline_passed"
        overview.due.append(item)
    # the first free time of every conversation still to book, in one query where it can
    wanted = [(i.obligation, i.self_booking_until) for i in overview.due if i.status == "bookable"]
    firsts = first_free(session, citizen, wanted, today=today, busy=busy)
    for item in overview.due:
        if item.status == "bookable":
            item.first_free = firsts[item.obligation.id]
            item.status = "bookable" if item.first_free is not None else "no_slots"
    return overview


# --- whose is it? --------------------------------------------------------------------------


def own_obligation(session: Session, citizen_id: int, obligation_id: int) -> Obligation:
    """The citizen's obligation (with its programme); :class:`NotFound` when it is missing or
    someone else's."""
    ob = session.get(Obligation, obligation_id, options=[joinedload(Obligation.programme)])
    if ob is None or ob.citizen_id != citizen_id:
        raise NotFound("obligation")
    return ob


def own_booking(session: Session, citizen_id: int, booking_id: int) -> Booking:
    """The citizen's booking; :class:`NotFound` when it is missing or someone else's."""
    booking = session.get(Booking, booking_id)
    if booking is None or booking.citizen_id != citizen_id:
        raise NotFound("booking")
    return booking


def _viewed(
    session: Session,
    settings: Settings,
    citizen_id: int,
    action: str,
    object_type: str | None = None,
    object_id: int | None = None,
) -> None:
    """The citizen saw a page about themselves: audited through the buffer of page views."""
    read_audit.record(
        session,
        actor_kind=ActorKind.citizen,
        actor_id=citizen_id,
        action=action,
        citizen_id=citizen_id,
        object_type=object_type,
        object_id=object_id,
        seconds=settings.audit.read_flush_seconds,
        batch=settings.audit.read_batch,
    )


# --- the overview and one booking ----------------------------------------------------------


@dataclass(frozen=True)
class HomePage:
    citizen: Citizen
    overview: CitizenOverview


def home_page(
    session: Session, citizen_id: int, settings: Settings, *, now: datetime | None = None
) -> HomePage:
    """The citizen's conversations due and booked; the view is audited (a buffered entry)."""
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound("citizen")
    overview = citizen_overview(session, citizen, settings, now=now)
    _viewed(session, settings, citizen_id, "citizen_viewed_own")
    return HomePage(citizen, overview)



def home_seen(session: Session, citizen_id: int, settings: Settings) -> None:
    """The home page was shown again as rendered a moment ago (the web layer's short-lived
    copy, ``booking.page_versions``): audited like :func:`home_page`."""
    _viewed(session, settings, citizen_id, "citizen_viewed_own")


def slots_seen(session: Session, citizen_id: int, obligation_id: int, settings: Settings) -> None:
    """The free times of a conversation were shown again as rendered a moment ago: audited like
    :func:`open_choose_page`."""
    _viewed(session, settings, citizen_id, "citizen_viewed_slots", "obligation", obligation_id)

@dataclass(frozen=True)
class BookingPage:
    booking: Booking
    changeable: bool  # may the citizen still move or cancel it (before the cutoff)?
    cutoff_hours: int

    @property
    def cancelled(self) -> bool:
        return self.booking.state == BookingState.cancelled

    @property
    def ends_at(self) -> datetime:
        slot = self.booking.slot
        return slot.starts_at + timedelta(minutes=slot.minutes)


def _booking_page(booking: Booking, settings: Settings, now: datetime | None) -> BookingPage:
    return BookingPage(booking, changeable(booking, settings, now), cutoff_hours(settings))


def booking_page(
    session: Session,
    citizen_id: int,
    booking_id: int,
    settings: Settings,
    *,
    now: datetime | None = None,
) -> BookingPage:
    """One of the citizen's bookings; the view is audited (a buffered entry)."""
    booking = own_booking(session, citizen_id, booking_id)
    _viewed(session, settings, citizen_id, "citizen_viewed_booking", "booking", booking.id)
    return _booking_page(booking, settings, now)


def cancel_page(
    session: Session,
    citizen_id: int,
    booking_id: int,
    settings: Settings,
    *,
    now: datetime | None = None,
) -> BookingPage:
    """The booking the citizen is about to cancel (not audited: the cancel itself is)."""
    return _booking_page(own_booking(session, citizen_id, booking_id), settings, now)


def calendar_file(session: Session, citizen_id: int, booking_id: int, settings: Settings) -> str:
    """The booking as an iCalendar file to download (a cancelled one as a CANCEL)."""
    booking = own_booking(session, citizen_id, booking_id)
    method = "CANCEL" if booking.state == BookingState.cancelled else "PUBLISH"
    return booking_mail.booking_ics(booking, settings, method)


# --- choosing a time -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChoosePage:
    obligation: Obligation
    booking: Booking | None  # the booking being moved, if any
    today: date
    until: date  # the self-booking deadline
    channels: list[str]  # the channels the citizen may choose between
    weeks: list[date]  # Mondays of the weeks with free times
    problems: list[FilterProblem]  # filters given but not understood (then not applied)
    days: dict[date, list[SlotOption]]  # every free time after the filters, by local day
    more: bool  # the chosen day has more free times than shown
    shown: int  # how many times are shown at most (of one day)
    changeable: bool  # (moving) the booking may still be moved
    cutoff_hours: int
    day: date | None = None  # the day whose times are shown (the one asked for, else the first)
    day_given: bool = False  # the citizen chose the day (a phone shows step 2: the times)
    times: list[SlotOption] = field(default_factory=list)  # the chosen day's times, earliest first

    @property
    def deadline_passed(self) -> bool:
        return self.until < self.today

    @property
    def day_choices(self) -> list[DayChoice]:
        """The days with free times, earliest first, each with its count and first time."""
        return [DayChoice(d, len(opts), opts[0]) for d, opts in self.days.items()]


@dataclass(frozen=True)
class AlreadyBooked:
    """The conversation is booked already: the citizen is shown that booking instead."""

    booking_id: int


def _choose(
    session: Session,
    ob: Obligation,
    settings: Settings,
    *,
    channel: str | None,
    week: str | None,
    booking: Booking | None,
    now: datetime | None,
    day: str | None = None,
) -> ChoosePage:
    now = now or now_utc()
    citizen = ob.citizen
    today = now.astimezone(zone()).date()
    until = self_booking_until(ob, settings)
    channels = allowed_channels(ob, citizen)
    ignore = booking.id if booking else None
    # every free time once (one query): the weeks to filter by, then the filters applied here
    every = bookable_slots(session, citizen, ob, until=until, today=today, ignore_booking_id=ignore)
    weeks = sorted({week_monday(o.local_day) for o in every})
    problems: list[FilterProblem] = []
    if channel and channel not in channels:
        problems.append(FilterProblem("unknown_channel"))
        channel = None
    monday: date | None = None
    if week:
        try:
            monday = week_of(week)
        except ValueError:
            problems.append(FilterProblem("unknown_week"))
    shown = settings.booking.slots_shown
    options = [
        o
        for o in every
        if (not channel or o.channel == channel)
        and (monday is None or 0 <= (o.local_day - monday).days <= 6)
        and (booking is None or o.slot_id != booking.slot_id)
    ]
    days: dict[date, list[SlotOption]] = {}
    for option in options:  # the list is earliest first, so are the days and their times
        days.setdefault(option.local_day, []).append(option)
    chosen, given = chosen_day(day, days, problems)
    times = days.get(chosen, []) if chosen is not None else []
    return ChoosePage(
        obligation=ob,
        booking=booking,
        today=today,
        until=until,
        channels=channels,
        weeks=weeks,
        problems=problems,
        days=days,
        more=len(times) > shown,
        shown=shown,
        changeable=booking is not None and changeable(booking, settings, now),
        cutoff_hours=cutoff_hours(settings),
        day=chosen,
        day_given=given,
        times=times[:shown],
    )


def open_choose_page(
    session: Session,
    citizen_id: int,
    obligation_id: int,
    settings: Settings,
    *,
    channel: str | None = None,
    week: str | None = None,
    day: str | None = None,
    now: datetime | None = None,
) -> ChoosePage | AlreadyBooked:
    """The free times for one of the citizen's conversations (``channel`` and ``week``, a day
    in ISO form, narrow them); the view is audited (a buffered entry). A conversation already
    booked answers :class:`AlreadyBooked` instead (not audited). ``day`` (ISO) is the day whose
    times are shown; without it the first day with free times."""
    ob = own_obligation(session, citizen_id, obligation_id)
    if ob.state == ObligationState.booked:
        live = session.scalar(
            select(Booking.id).where(
                Booking.obligation_id == ob.id, Booking.state == BookingState.booked
            )
        )
        if live is not None:
            return AlreadyBooked(live)
    _viewed(session, settings, citizen_id, "citizen_viewed_slots", "obligation", ob.id)
    return _choose(
        session, ob, settings, channel=channel, week=week, booking=None, now=now, day=day
    )


def choose_page(
    session: Session,
    citizen_id: int,
    obligation_id: int,
    settings: Settings,
    *,
    channel: str | None = None,
    week: str | None = None,
    day: str | None = None,
    now: datetime | None = None,
) -> ChoosePage:
    """The free times shown again, after a choice that could not be booked (not audited)."""
    ob = own_obligation(session, citizen_id, obligation_id)
    return _choose(
        session, ob, settings, channel=channel, week=week, booking=None, now=now, day=day
    )


def rebook_page(
    session: Session,
    citizen_id: int,
    booking_id: int,
    settings: Settings,
    *,
    channel: str | None = None,
    week: str | None = None,
    day: str | None = None,
    now: datetime | None = None,
) -> ChoosePage:
    """The free times to move a live booking to (not audited); :class:`NotFound` for a booking
    that is not the citizen's, not live, or not for a conversation. ``changeable`` says
    whether it may still be moved."""
    booking = own_booking(session, citizen_id, booking_id)
    if booking.obligation is None or booking.state != BookingState.booked:
        raise NotFound("booking")
    return _choose(
        session,
        booking.obligation,
        settings,
        channel=channel,
        week=week,
        booking=booking,
        now=now,
        day=day,
    )
