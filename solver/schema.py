"""The `jobcenter-plan/1` document as pydantic models: every key of `plan-format.md`, its type,
its default and the checks on its value, worded as the problem lines say them.

The values follow JSON as the format writes it: an integer may be written `30.0`, `null` means
the default of an optional key, a date is `YYYY-MM-DD`, a slot's `start` a local time
`YYYY-MM-DDTHH:MM` (or with an offset, converted into the instance's zone, given in the
validation context as `zone`). Unknown keys are ignored. What relates one list to another
(unique ids, references, `earliest ≤ deadline`) is checked by `solver.problem`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationInfo

from .validation import invalid, one_of, or_default

FORMAT = "jobcenter-plan/1"
CHANNELS = ("in_person", "phone", "video")
POOLS = ("caseworker", "unit")
DEFAULT_TIMEZONE = "Europe/Copenhagen"

#: wording of pydantic's own error types in this format
WORDING = {
    "missing": "missing",
    "list_type": "not a list",
    "model_type": "not an object",
    "model_attributes_type": "not an object",
    "dict_type": "not an object",
}

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL_RE = re.compile(r"(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2})?")


class LocalTime(NamedTuple):
    text: str  # as written
    date: dt.date  # its calendar date in the instance's zone


def zone_of(name: Any) -> ZoneInfo | None:
    """The instance's zone, or None if `name` is not a known IANA zone."""
    if not isinstance(name, str) or not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


# -- checks of one value ---------------------------------------------------------------------
def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise invalid("not a non-empty string")
    return value


def _integer(minimum: int) -> Callable[[Any], int]:
    def read(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise invalid("not an integer")
        if isinstance(value, float):
            if not value.is_integer():
                raise invalid("not an integer")
            value = int(value)
        number: int = value
        if number < minimum:
            raise invalid(f"{number} is out of range (must be ≥ {minimum})")
        return number

    return read


def _number(check: Callable[[float], bool], rng: str) -> Callable[[Any], float]:
    def read(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise invalid("not a number")
        number = float(value)
        if not math.isfinite(number) or not check(number):
            raise invalid(f"{number:g} is out of range (must be {rng})")
        return number

    return read


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise invalid("not true or false")
    return value


@functools.lru_cache(maxsize=4096)
def _parse_date(value: str) -> dt.date | None:
    if _DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return None


def _date(value: Any) -> dt.date:
    day = _parse_date(value) if isinstance(value, str) else None
    if day is None:
        raise invalid("not a date")
    return day


def _local_time(value: Any, info: ValidationInfo) -> LocalTime:
    """Calendar date (in the instance zone) of a `YYYY-MM-DDTHH:MM` time."""
    day = _local_date(value, (info.context or {}).get("zone")) if isinstance(value, str) else None
    if day is None:
        raise invalid("not a local time (YYYY-MM-DDTHH:MM)")
    return LocalTime(value, day)


@functools.lru_cache(maxsize=65536)
def _local_date(value: str, zone: ZoneInfo | None) -> dt.date | None:
    match = _LOCAL_RE.fullmatch(value)
    if match:
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            day = _parse_date(match.group(1))
            if day is not None:
                return day
    try:  # an explicit offset is converted into the instance zone
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None and zone is not None:
        return moment.astimezone(zone).date()
    return None


def _format(value: Any) -> str:
    if value != FORMAT:
        raise invalid(f"expected {FORMAT!r}, got {value!r}")
    return FORMAT


def _timezone(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise invalid("not an IANA time zone name")
    if zone_of(value) is None:
        raise invalid(f"unknown time zone {value!r}")
    return value


Id = Annotated[str, PlainValidator(_text)]
Date = Annotated[dt.date, PlainValidator(_date)]
Start = Annotated[LocalTime, PlainValidator(_local_time)]
Minutes = Annotated[int, PlainValidator(_integer(1))]
Capacity = Annotated[int, PlainValidator(_integer(0))]
Channel = Annotated[str, PlainValidator(one_of(CHANNELS))]
Weight = Annotated[float, PlainValidator(or_default(_number(lambda x: x > 0, "> 0"), 1.0))]
Flag = Annotated[bool, PlainValidator(or_default(_boolean, False))]


class _Object(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


# -- the document ------------------------------------------------------------------------------
class SettingsIn(_Object):
    rebook_days: Annotated[int, PlainValidator(or_default(_integer(0), 7))] = 7
    rehab_lead_days: Annotated[int, PlainValidator(or_default(_integer(0), 14))] = 14


class CaseworkerIn(_Object):
    id: Id
    unit: Id
    max_per_day: Annotated[int | None, PlainValidator(or_default(_integer(0), None))] = None


class CitizenIn(_Object):
    id: Id
    unit: Id
    caseworker: Id
    show_probability: Annotated[
        float, PlainValidator(or_default(_number(lambda x: 0.0 <= x <= 1.0, "in [0, 1]"), 1.0))
    ] = 1.0
    channels: list[Channel] | None = None  # None: all three


class SlotIn(_Object):
    id: Id
    caseworker: Id
    start: Start
    minutes: Minutes
    channel: Channel
    capacity: Annotated[int, PlainValidator(or_default(_integer(1), 1))] = 1


class ConversationIn(_Object):
    id: Id
    citizen: Id
    earliest: Date
    deadline: Date
    minutes: Annotated[int, PlainValidator(or_default(_integer(1), 30))] = 30
    pool: Annotated[str, PlainValidator(or_default(one_of(POOLS), "caseworker"))] = "caseworker"
    weight: Weight = 1.0


class BookingIn(_Object):
    conversation: Id
    slot: Id
    locked: Flag = False


class RehabMeetingIn(_Object):
    id: Id
    date: Date
    capacity: Capacity


class RehabCaseIn(_Object):
    id: Id
    citizen: Id
    ready: Date
    deadline: Date
    material_sent: Flag = False
    weight: Weight = 1.0


class PlanDocument(_Object):
    """A whole `jobcenter-plan/1` instance, keys in the order of `plan-format.md`."""

    format: Annotated[str, PlainValidator(_format)]
    timezone: Annotated[str, PlainValidator(_timezone)] = DEFAULT_TIMEZONE
    today: Date
    settings: SettingsIn = SettingsIn()
    caseworkers: list[CaseworkerIn] = []
    citizens: list[CitizenIn] = []
    slots: list[SlotIn] = []
    conversations: list[ConversationIn] = []
    bookings: list[BookingIn] = []
    rehab_meetings: list[RehabMeetingIn] = []
    rehab_cases: list[RehabCaseIn] = []
