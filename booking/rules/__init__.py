"""Rettidig's rules engine: statutory rule sets as data, obligations, timeliness.

Pure Python: no Flask, no SQLAlchemy, no I/O beyond reading rule-set files. See ``README.md`` in
this package for the TOML schema, the rule sets shipped, their sources and the interpretations
chosen.
"""

from .clock import Clock, is_working_day, planning_date
from .dates import add_months
from .engine import age_on, compute_obligations, rehab_presentation_deadline, self_booking_deadline
from .in_force import law_changes_on, obligations_in_force, packaged_rule_sets
from .loader import available_rule_sets, load_rule_set, parse_rule_set, rule_set_for_date
from .model import (
    CHANNELS,
    HOLDERS,
    KINDS,
    GroupRules,
    HeldConversation,
    Indicator,
    Obligation,
    ObligationChange,
    Pause,
    PositionWindow,
    Requirement,
    RuleSet,
    RuleSetError,
    TargetGroup,
    TimelinessStatus,
)
from .programme import ProgrammeObligations
from .status import had_conversation_within, is_overdue, next_open_obligation, timeliness_status

__all__ = [
    "CHANNELS",
    "HOLDERS",
    "KINDS",
    "Clock",
    "GroupRules",
    "HeldConversation",
    "Indicator",
    "Obligation",
    "ObligationChange",
    "Pause",
    "PositionWindow",
    "ProgrammeObligations",
    "Requirement",
    "RuleSet",
    "RuleSetError",
    "TargetGroup",
    "TimelinessStatus",
    "add_months",
    "age_on",
    "available_rule_sets",
    "compute_obligations",
    "had_conversation_within",
    "is_overdue",
    "is_working_day",
    "law_changes_on",
    "load_rule_set",
    "next_open_obligation",
    "obligations_in_force",
    "packaged_rule_sets",
    "parse_rule_set",
    "planning_date",
    "rehab_presentation_deadline",
    "rule_set_for_date",
    "self_booking_deadline",
    "timeliness_status",
]
