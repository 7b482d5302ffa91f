"""SQLAlchemy 2 models, one module per aggregate."""

from .audit import AuditEntry, OutboxMessage
from .base import Base, utcnow
from .citizen import TARGET_GROUPS, Citizen, HeldConversation, Programme
from .enums import (
    ActorKind,
    BookingSource,
    BookingState,
    CallOutcome,
    Channel,
    InvitationState,
    MaterialState,
    ObligationState,
    OutboxChannel,
    OutboxState,
    RehabCaseState,
    Role,
    SessionState,
)
from .group import GroupSession, GroupSessionCaseworker, Invitation, PhoneCall
from .org import Absence, Caseworker, StaffUser, Unit, WorkTemplate
from .rehab import RehabCase, RehabClosure, RehabMeeting, RehabScenario, RehabSchedule
from .ruleset import Obligation, RuleSetRecord
from .slot import Booking, Slot

__all__ = [
    "Absence",
    "ActorKind",
    "AuditEntry",
    "Base",
    "Booking",
    "BookingSource",
    "BookingState",
    "CallOutcome",
    "Caseworker",
    "Channel",
    "Citizen",
    "GroupSession",
    "GroupSessionCaseworker",
    "HeldConversation",
    "Invitation",
    "InvitationState",
    "MaterialState",
    "Obligation",
    "ObligationState",
    "OutboxChannel",
    "OutboxMessage",
    "OutboxState",
    "PhoneCall",
    "Programme",
    "RehabCase",
    "RehabCaseState",
    "RehabClosure",
    "RehabMeeting",
    "RehabScenario",
    "RehabSchedule",
    "Role",
    "RuleSetRecord",
    "SessionState",
    "Slot",
    "StaffUser",
    "TARGET_GROUPS",
    "Unit",
    "WorkTemplate",
    "utcnow",
]
