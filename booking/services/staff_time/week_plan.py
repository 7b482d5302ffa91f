"""The weekly working-hour template and the slots it makes.

A template is a list of :class:`TemplateRow` blocks (weekday, from, to, slot length, channel,
place, self-bookable). :func:`plan_weeks` turns rows into the slots of the coming weeks with
:func:`~booking.services.slots.slot_specs`, minus Danish public holidays (the ``holidays``
package in Danish, with ``[calendar] optional_closed``), the job centre's closed days
(:class:`~booking.models.ClosedDay`) and the caseworker's absences — the calendar the plan core
reads (:func:`~booking.services.planning.rows.load_calendar`). The preview and
:func:`save_template` call the same function, so what is shown is what is published.

Saving replaces the caseworker's template and brings the published slots of the chosen weeks
in line: new times are created, free times the template no longer makes are removed, a free
time whose length, channel, place or self-booking changed is updated; a time with a booking
(live or past) is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import ActorKind, Booking, Channel, Slot, WorkTemplate
from .. import audit
from ..calendar_days import local_datetime, week_monday
from ..clock import local_date
from ..errors import FormErrors, ServiceError
from ..planning.rows import load_calendar
from ..slots import SlotSpec, slot_specs

MIN_MINUTES, MAX_MINUTES = 5, 480  # work_templates.slot_minutes
LOCATION_MAX = 200
MAX_ROWS = 40
DEFAULT_WEEKS, MAX_WEEKS = 4, 12
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # no line breaks either: one line of text


class TemplateError(ServiceError):
    """One refused template row (``row``: its number, from 1): ``end_before_start``,
    ``minutes_range`` (``min``, ``max``), ``block_too_short`` (``minutes``),
    ``location_too_long`` (``max``), ``location_control_characters``, ``overlap``
    (``other``); or the whole template:
    ``too_many_rows`` (``max``), ``weeks_range`` (``max``)."""


@dataclass(frozen=True)
class TemplateRow:
    weekday: int  # 0 = Monday … 6 = Sunday
    start: time
    end: time
    minutes: int
    channel: Channel
    location: str | None
    self_bookable: bool

    def as_model(self, caseworker_id: int) -> WorkTemplate:
        return WorkTemplate(
            caseworker_id=caseworker_id,
            weekday=self.weekday,
            start_time=self.start,
            end_time=self.end,
            slot_minutes=self.minutes,
            channel=self.channel,
            location=self.location,
            self_bookable=self.self_bookable,
        )


@dataclass(frozen=True)
class DayPlan:
    day: date
    slots: list[SlotSpec]
    closed: str | None  # the holiday's or closure's name: no slots that day
    absent: int  # slots the template makes that an absence takes


@dataclass(frozen=True)
class WeekPlan:
    monday: date
    week: int  # ISO week number
    days: list[DayPlan]

    @property
    def count(self) -> int:
        return sum(len(d.slots) for d in self.days)


@dataclass(frozen=True)
class Plan:
    """The slots of ``start`` ≤ day < ``end`` and what saving would change."""

    start: date
    end: date
    weeks: list[WeekPlan]
    specs: list[SlotSpec]
    new: int  # times saving creates
    unchanged: int  # published already, as the template makes them
    changed: int  # free published times whose length, channel, place or self-booking changes
    removed: int  # free published times the template no longer makes
    kept_booked: int  # published times with a booking the template no longer makes (kept)
    lost_closed: int  # times falling on holidays and closed days
    lost_absent: int  # times falling in absences

    @property
    def count(self) -> int:
        return len(self.specs)

    @property
    def last(self) -> date:
        """The last day of the window."""
        return self.end - timedelta(days=1)


def check_rows(rows: Sequence[TemplateRow]) -> list[TemplateRow]:
    """The rows, checked; :class:`FormErrors` (``row-<n>`` → :class:`TemplateError`) naming
    every refused row, or a :class:`TemplateError` for the whole."""
    if len(rows) > MAX_ROWS:
        raise TemplateError("too_many_rows", max=MAX_ROWS)
    problems: dict[str, ServiceError] = {}
    for n, row in enumerate(rows, start=1):
        problem = _row_problem(n, row)
        if problem is None:
            for m, other in enumerate(rows[: n - 1], start=1):
                if other.weekday == row.weekday and other.start < row.end and row.start < other.end:
                    problem = TemplateError("overlap", row=n, other=m)
                    break
        if problem is not None:
            problems[f"row-{n}"] = problem
    if problems:
        raise FormErrors(problems)
    return sorted(rows, key=lambda r: (r.weekday, r.start))


def _row_problem(n: int, row: TemplateRow) -> TemplateError | None:
    if not row.start < row.end:
        return TemplateError("end_before_start", row=n)
    if not MIN_MINUTES <= row.minutes <= MAX_MINUTES:
        return TemplateError("minutes_range", row=n, min=MIN_MINUTES, max=MAX_MINUTES)
    length = (row.end.hour * 60 + row.end.minute) - (row.start.hour * 60 + row.start.minute)
    if length < row.minutes:
        return TemplateError("block_too_short", row=n, minutes=row.minutes)
    if row.location is not None and len(row.location) > LOCATION_MAX:
        return TemplateError("location_too_long", row=n, max=LOCATION_MAX)
    if row.location is not None and CONTROL.search(row.location):
        return TemplateError("location_control_characters", row=n)
    return None


def current_rows(session: Session, caseworker_id: int) -> list[TemplateRow]:
    """The caseworker's saved template, by weekday and time. Reads only."""
    found = session.scalars(
        select(WorkTemplate)
        .where(WorkTemplate.caseworker_id == caseworker_id)
        .order_by(WorkTemplate.weekday, WorkTemplate.start_time, WorkTemplate.id)
    )
    return [
        TemplateRow(t.weekday, t.start_time, t.end_time, t.slot_minutes, t.channel, t.location,
                    t.self_bookable)
        for t in found
    ]


def horizon(start: date, weeks: int) -> tuple[date, date]:
    if not 1 <= weeks <= MAX_WEEKS:
        raise TemplateError("weeks_range", max=MAX_WEEKS)
    return start, start + timedelta(weeks=weeks)


def plan_weeks(
    session: Session,
    caseworker_id: int,
    rows: Sequence[TemplateRow],
    start: date,
    weeks: int,
    optional_closed: Sequence[str],
) -> Plan:
    """The slots ``rows`` make from ``start`` for ``weeks`` weeks and what saving changes
    (the preview; :func:`save_template` publishes exactly these). Reads only."""
    first, end = horizon(start, weeks)
    rows = check_rows(rows)
    models = [row.as_model(caseworker_id) for row in rows]
    calendar = load_calendar(session, [caseworker_id], first, end, optional_closed)
    absences = calendar.absences.get(caseworker_id, [])
    raw = slot_specs(caseworker_id, models, first, end, closed={})
    specs = slot_specs(caseworker_id, models, first, end, closed=calendar.closed,
                       absences=absences)
    by_day: dict[date, list[SlotSpec]] = {}
    for spec in specs:
        by_day.setdefault(_local_day(spec), []).append(spec)
    raw_by_day: dict[date, int] = {}
    for spec in raw:
        raw_by_day[_local_day(spec)] = raw_by_day.get(_local_day(spec), 0) + 1
    weeks_out: list[WeekPlan] = []
    lost_closed = lost_absent = 0
    for day, made in sorted(raw_by_day.items()):
        closed = calendar.closed.get(day)
        kept = by_day.get(day, [])
        if closed is not None:
            lost_closed += made
        else:
            lost_absent += made - len(kept)
        monday = week_monday(day)
        if not weeks_out or weeks_out[-1].monday != monday:
            weeks_out.append(WeekPlan(monday, monday.isocalendar().week, []))
        weeks_out[-1].days.append(DayPlan(day, kept, closed, 0 if closed else made - len(kept)))
    diff = _diff(session, caseworker_id, specs, first, end)
    return Plan(
        start=first, end=end, weeks=weeks_out, specs=specs,
        new=len(diff.new), unchanged=diff.unchanged, changed=len(diff.changed),
        removed=len(diff.removed), kept_booked=diff.kept_booked,
        lost_closed=lost_closed, lost_absent=lost_absent,
    )


def _local_day(spec: SlotSpec) -> date:
    return local_date(spec.starts_at)


@dataclass
class _Diff:
    new: list[SlotSpec]
    changed: list[tuple[Slot, SlotSpec]]
    removed: list[Slot]
    unchanged: int = 0
    kept_booked: int = 0


def _same(slot: Slot, spec: SlotSpec) -> bool:
    return (slot.minutes, slot.channel, slot.location, slot.self_bookable) == (
        spec.minutes, spec.channel, spec.location, spec.self_bookable)


def _diff(
    session: Session, caseworker_id: int, specs: Sequence[SlotSpec], first: date, end: date
) -> _Diff:
    """The published slots of the window against ``specs``; group call-in slots are left out."""
    published = list(session.scalars(
        select(Slot).where(
            Slot.caseworker_id == caseworker_id,
            Slot.group_session_id.is_(None),
            Slot.starts_at >= local_datetime(first, time()),
            Slot.starts_at < local_datetime(end, time()),
        ).order_by(Slot.starts_at)
    ))
    booked = set(session.scalars(
        select(Booking.slot_id).where(Booking.slot_id.in_([s.id for s in published]))
    )) if published else set()
    wanted = {spec.starts_at: spec for spec in specs}
    diff = _Diff(new=[], changed=[], removed=[])
    seen = set()
    for slot in published:
        seen.add(slot.starts_at)
        spec = wanted.get(slot.starts_at)
        if spec is not None and (_same(slot, spec) or slot.id in booked):
            diff.unchanged += 1
        elif spec is not None:
            diff.changed.append((slot, spec))
        elif slot.id in booked:
            diff.kept_booked += 1
        else:
            diff.removed.append(slot)
    diff.new = [spec for spec in specs if spec.starts_at not in seen]
    return diff


def save_template(
    session: Session,
    caseworker_id: int,
    rows: Sequence[TemplateRow],
    *,
    start: date,
    weeks: int,
    optional_closed: Sequence[str],
    staff_id: int | None,
) -> Plan:
    """Replace the caseworker's template with ``rows`` and publish the slots of the chosen
    weeks (see the module); audited (``work_template_saved``), commits. Returns the plan as
    previewed before the save. Refusals as :func:`plan_weeks`; nothing changed then."""
    with transaction(session):
        plan = plan_weeks(session, caseworker_id, rows, start, weeks, optional_closed)
        diff = _diff(session, caseworker_id, plan.specs, plan.start, plan.end)
        for old in session.scalars(
            select(WorkTemplate).where(WorkTemplate.caseworker_id == caseworker_id)
        ):
            session.delete(old)
        session.flush()
        for row in check_rows(rows):
            session.add(row.as_model(caseworker_id))
        for slot in diff.removed:
            session.delete(slot)
        for slot, spec in diff.changed:
            slot.minutes, slot.channel = spec.minutes, spec.channel
            slot.location, slot.self_bookable = spec.location, spec.self_bookable
        session.flush()
        for spec in diff.new:
            session.add(Slot(caseworker_id=caseworker_id, starts_at=spec.starts_at,
                             minutes=spec.minutes, channel=spec.channel, capacity=1,
                             location=spec.location, self_bookable=spec.self_bookable))
        audit.record(
            session, actor_kind=ActorKind.staff, actor_id=staff_id,
            action="work_template_saved", object_type="caseworker", object_id=caseworker_id,
            detail={"rows": len(rows), "from": plan.start.isoformat(),
                    "to": plan.end.isoformat(), "created": plan.new, "updated": plan.changed,
                    "removed": plan.removed},
        )
        session.flush()
    return plan
