"""SQLAlchemy 2 models, one module per aggregate."""

from .api import ApiClient, ApiIdempotentRequest
from .audit import AuditEntry, OutboxMessage
from .base import Base, utcnow
from .citizen import TARGET_GROUPS, Citizen, HeldConversation, Programme, ProgrammePause
from .enums import (
    ActorKind,
    BookingSource,
    BookingState,
    CallOutcome,
    CancelledBy,
    Channel,
    HeldKind,
    Holder,
    InvitationState,
    MaterialState,
    ObligationState,
    OutboxChannel,
    OutboxState,
    PlanRunState,
    PlanTrigger,
    RehabCaseState,
    Role,
    SessionState,
)
from .group import GroupSession, GroupSessionCaseworker, Invitation, PhoneCall
from .law import ClosedDay, ObligationExemption
from .org import Absence, Caseworker, StaffUser, Unit, WorkTemplate
from .planning import PlanRun
from .rehab import RehabCase, RehabClosure, RehabMeeting, RehabScenario, RehabSchedule
from .ruleset import Obligation, RuleSetRecord
from .slot import Booking, Slot
from .whatif import WhatIfRun

__all__ = [
    "Absence",
    "ApiClient",
    "ApiIdempotentRequest",
    "ActorKind",
    "AuditEntry",
    "Base",
    "Booking",
    "BookingSource",
    "BookingState",
    "CallOutcome",
    "CancelledBy",
    "Caseworker",
    "Channel",
    "Citizen",
    "ClosedDay",
    "GroupSession",
    "GroupSessionCaseworker",
    "HeldConversation",
    "HeldKind",
    "Holder",
    "Invitation",
    "InvitationState",
    "MaterialState",
    "Obligation",
    "ObligationExemption",
    "ObligationState",
    "OutboxChannel",
    "OutboxMessage",
    "OutboxState",
    "PhoneCall",
    "PlanRun",
    "PlanRunState",
    "PlanTrigger",
    "Programme",
    "ProgrammePause",
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
    "WhatIfRun",
    "WorkTemplate",
    "utcnow",
]
