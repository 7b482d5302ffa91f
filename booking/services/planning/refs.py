"""What the ids of a planning document stand for in the database (see :mod:`.problem`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ConversationRef:
    """What a conversation id of the document stands for."""

    key: str
    citizen_id: int
    unit_id: int
    obligation_id: int | None
    deadline: date
    booking_id: int | None = None  # its live booking, if any
    slot_id: int | None = None  # the slot of that booking
    booked_day: date | None = None  # and its day
    locked: bool = False  # kept exactly as it is
    pseudo: bool = False  # a stand-in for a booking that holds a seat or a day
    lifted: bool = False  # a movable booking whose slot cannot be used: planned anew
    version: str = ""


@dataclass(frozen=True)
class SlotRef:
    key: str
    slot_id: int
    caseworker_id: int
    day: date
    capacity: int
    version: str


@dataclass(frozen=True)
class Excluded:
    """A conversation not given to the solver, and why (a code with params)."""

    key: str
    obligation_id: int | None
    citizen_id: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    version: str = ""
