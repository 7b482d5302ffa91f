"""The API's documents as pydantic models: what comes in (validated, with bounds the database
can hold) and what goes out. The OpenAPI document is generated from these (SpecTree)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ...models import BookingSource, BookingState, Channel, HeldKind, Holder, ObligationState
from ...rules.model import TargetGroup
from .pagination import DEFAULT_LIMIT, MAX_LIMIT

# text without control characters (tab and line breaks excepted), as the forms accept
_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
DbId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2199, 12, 31))]


Name = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=_NO_CONTROL)]
Phone = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=_NO_CONTROL)]
Email = Annotated[str, StringConstraints(min_length=3, max_length=200, pattern=_NO_CONTROL)]


ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                              pattern=r"^[A-Za-z0-9._:/-]+$")]
Cursor = Annotated[str, StringConstraints(max_length=40)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- errors (RFC 9457) -----------------------------------------------------------------------

class FieldError(BaseModel):
    path: str = Field(description="JSON path of the refused value, e.g. $.programme.start_date")
    message: str
    code: str


class Problem(BaseModel):
    """application/problem+json (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str | None = None
    errors: list[FieldError] | None = None


# --- queries ---------------------------------------------------------------------------------

class PageQuery(_In):
    cursor: Cursor | None = Field(None, description="opaque; the `next_cursor` of the page before")
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT


class CitizenQuery(PageQuery):
    unit_code: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None


class ObligationQuery(PageQuery):
    citizen_id: DbId | None = None
    state: ObligationState | None = None


class SlotQuery(PageQuery):
    from_date: Day | None = Field(None, description="first local day (default: today)")
    to_date: Day | None = Field(None, description="last local day")
    channel: Channel | None = None
    caseworker_id: DbId | None = None
    free_only: bool = False


class BookingQuery(PageQuery):
    citizen_id: DbId | None = None
    state: BookingState | None = None


class PostHeaders(BaseModel):
    idempotency_key: Annotated[str, StringConstraints(min_length=1, max_length=200,
                                                      pattern=r"^[\x21-\x7e]+$")] = Field(
        alias="Idempotency-Key",
        description="the same key and body give the same answer; another body is a 422")


# --- bodies ----------------------------------------------------------------------------------

class ProgrammeIn(_In):
    target_group: TargetGroup
    start_date: Day
    external_id: ExternalId | None = None


class CitizenIn(_In):
    cpr: Annotated[str, StringConstraints(min_length=1, max_length=11)] = Field(
        description="CPR number (DDMMYY-SSSS or 10 digits); stored only as a keyed hash")
    name: Name
    unit_code: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    caseworker_id: DbId | None = None
    phone: Phone | None = None
    email: Email | None = None
    language: Literal["da", "en"] = "da"
    channels: Annotated[list[Channel], Field(min_length=1, max_length=3)] | None = None
    programme: ProgrammeIn


class CprLookup(_In):
    cpr: Annotated[str, StringConstraints(min_length=1, max_length=11)] = Field(
        description="CPR number (DDMMYY-SSSS or 10 digits); sent in the body, never in a URL")


class HeldIn(_In):
    held_on: Day
    kind: HeldKind = HeldKind.conversation
    holder: Holder = Holder.jobcentre
    joint: bool = False
    fund_declined: bool = False
    channel: Channel | None = None
    external_id: ExternalId | None = None


class BookingIn(_In):
    obligation_id: DbId
    slot_id: DbId


# --- answers ---------------------------------------------------------------------------------

class CitizenOut(_Out):
    id: int
    cpr_masked: str = Field(description="birth date and xxxx; the full CPR number is never given")
    birth_date: date
    name: str
    unit_code: str
    caseworker_id: int | None
    phone: str | None
    email: str | None
    language: str
    channels: list[str] | None
    created_at: datetime


class ProgrammeOut(_Out):
    id: int
    citizen_id: int
    target_group: str
    start_date: date
    end_date: date | None
    end_reason: str | None
    rule_set_code: str
    external_id: str | None


class HeldOut(_Out):
    id: int
    citizen_id: int
    held_on: date
    kind: HeldKind
    holder: Holder
    joint: bool
    fund_declined: bool
    channel: Channel | None
    booking_id: int | None
    external_id: str | None


class ObligationOut(_Out):
    id: int
    citizen_id: int
    programme_id: int
    rule_set_code: str
    kind: str
    sequence: int
    earliest: date
    deadline: date
    statutory_deadline: date
    channels: list[str]
    joint: bool
    holder: str
    minutes: int
    mandatory: bool
    state: ObligationState
    label_da: str
    label_en: str


class SlotOut(_Out):
    id: int
    caseworker_id: int
    unit_id: int
    starts_at: datetime
    minutes: int
    channel: Channel
    capacity: int
    free_seats: int
    location: str | None
    self_bookable: bool


class BookingOut(_Out):
    id: int
    citizen_id: int
    obligation_id: int | None
    slot_id: int
    starts_at: datetime
    state: BookingState
    source: BookingSource
    ical_sequence: int
    created_at: datetime


class CitizenPage(BaseModel):
    data: list[CitizenOut]
    next_cursor: str | None
    next: str | None = Field(description="URL of the next page; null on the last")


class ProgrammePage(BaseModel):
    data: list[ProgrammeOut]
    next_cursor: str | None
    next: str | None


class HeldPage(BaseModel):
    data: list[HeldOut]
    next_cursor: str | None
    next: str | None


class ObligationPage(BaseModel):
    data: list[ObligationOut]
    next_cursor: str | None
    next: str | None


class SlotPage(BaseModel):
    data: list[SlotOut]
    next_cursor: str | None
    next: str | None


class BookingPage(BaseModel):
    data: list[BookingOut]
    next_cursor: str | None
    next: str | None
