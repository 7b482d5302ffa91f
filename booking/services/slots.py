"""Working-hour templates become slots, minus closed days and absences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Absence, Caseworker, Channel, Slot, WorkTemplate
from .calendar_days import closed_days, local_datetime
from .clock import zone


@dataclass(frozen=True)
class SlotSpec:
    caseworker_id: int
    starts_at: datetime  # aware, UTC
    minutes: int
    channel: Channel
    location: str | None
    self_bookable: bool


def slot_specs(
    caseworker_id: int,
    templates: Sequence[WorkTemplate],
    start: date,
    end: date,
    *,
    closed: dict[date, str],
    absences: Sequence[tuple[datetime, datetime]] = (),
    tz: ZoneInfo | None = None,
) -> list[SlotSpec]:
    """Slots for ``start`` ≤ day < ``end`` (pure: no database), in ``tz`` (default: the
    configured zone)."""
    tz = tz or zone()
    specs: list[SlotSpec] = []
    day = start
    while day < end:
        if day not in closed:
            for tpl in templates:
                if tpl.weekday != day.weekday():
                    continue
                begin = local_datetime(day, tpl.start_time, tz)
                stop = local_datetime(day, tpl.end_time, tz)
                step = timedelta(minutes=tpl.slot_minutes)
                at = begin
                while at + step <= stop:
                    if not any(a0 < at + step and at < a1 for a0, a1 in absences):
                        specs.append(
                            SlotSpec(
                                caseworker_id=caseworker_id,
                                starts_at=at.astimezone(UTC),
                                minutes=tpl.slot_minutes,
                                channel=tpl.channel,
                                location=tpl.location,
                                self_bookable=tpl.self_bookable,
                            )
                        )
                    at += step
        day += timedelta(days=1)
    return specs


def publish_slots(
    session: Session,
    caseworker: Caseworker,
    start: date,
    end: date,
    *,
    optional_closed: Sequence[str] = (),
) -> list[Slot]:
    """Create the caseworker's slots from their templates; existing start times are kept."""
    closed = closed_days(range(start.year, end.year + 1), optional_closed)
    absences = [
        (a.starts_at, a.ends_at)
        for a in session.scalars(select(Absence).where(Absence.caseworker_id == caseworker.id))
    ]
    existing = set(
        session.scalars(
            select(Slot.starts_at).where(
                Slot.caseworker_id == caseworker.id,
                Slot.starts_at >= local_datetime(start, datetime.min.time()),
            )
        )
    )
    created = []
    for spec in slot_specs(
        caseworker.id, caseworker.templates, start, end, closed=closed, absences=absences
    ):
        if spec.starts_at in existing:
            continue
        slot = Slot(
            caseworker_id=spec.caseworker_id,
            starts_at=spec.starts_at,
            minutes=spec.minutes,
            channel=spec.channel,
            capacity=1,
            location=spec.location,
            self_bookable=spec.self_bookable,
        )
        session.add(slot)
        created.append(slot)
    session.flush()
    return created
