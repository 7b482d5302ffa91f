"""States and kinds as enums, stored as strings under named CHECK constraints."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


class Role(StrEnum):
    citizen = "citizen"
    caseworker = "caseworker"
    callin = "callin"
    planner = "planner"
    manager = "manager"
    admin = "admin"


class Channel(StrEnum):
    in_person = "in_person"
    phone = "phone"
    video = "video"


class BookingState(StrEnum):
    booked = "booked"
    cancelled = "cancelled"
    attended = "attended"
    no_show = "no_show"


class BookingSource(StrEnum):
    self = "self"
    callin = "callin"
    solver = "solver"
    staff = "staff"


class ObligationState(StrEnum):
    open = "open"
    booked = "booked"
    fulfilled = "fulfilled"
    waived = "waived"


class InvitationState(StrEnum):
    invited = "invited"
    arrived = "arrived"
    in_progress = "in_progress"
    served = "served"
    no_show = "no_show"
    cancelled = "cancelled"


class SessionState(StrEnum):
    planned = "planned"
    running = "running"
    closed = "closed"


class CallOutcome(StrEnum):
    reached = "reached"
    not_reached = "not_reached"
    new_time = "new_time"


class MaterialState(StrEnum):
    preparing = "preparing"
    sent = "sent"


class RehabCaseState(StrEnum):
    forecast = "forecast"
    open = "open"
    assigned = "assigned"
    presented = "presented"


class OutboxChannel(StrEnum):
    email = "email"
    sms = "sms"
    digital_post = "digital_post"


class OutboxState(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"


class HeldKind(StrEnum):
    """What a held event was (the rules engine's requirement kinds)."""

    conversation = "conversation"
    offer = "offer"
    rehab_presentation = "rehab_presentation"
    reassessment = "reassessment"


class Holder(StrEnum):
    """Who held it: the job centre (the municipality) or the unemployment fund (a-kasse)."""

    jobcentre = "jobcentre"
    unemployment_fund = "unemployment_fund"


class CancelledBy(StrEnum):
    citizen = "citizen"
    jobcentre = "jobcentre"


class PlanRunState(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"
    accepted = "accepted"
    superseded = "superseded"


class PlanTrigger(StrEnum):
    manual = "manual"
    nightly = "nightly"
    event = "event"
    cli = "cli"


class ActorKind(StrEnum):
    """Who did it; ``actor_id`` is then a staff user's, a citizen's or an API client's id
    (``system``: none)."""

    staff = "staff"
    citizen = "citizen"
    system = "system"
    api_client = "api_client"


def db_enum(enum_cls: type[StrEnum], name: str) -> Enum:
    """A portable string enum with a named CHECK constraint (no native PG enum type)."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls) + 4,
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )
