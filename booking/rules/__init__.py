"""Rettidig's rules engine: statutory rule sets as data, obligations, timeliness.

Pure Python: no Flask, no SQLAlchemy, no I/O beyond reading rule-set files. See ``README.md`` in
this package for the TOML schema and the interpretations chosen.
"""

from .dates import add_months
from .engine import age_on, compute_obligations, rehab_presentation_deadline, self_booking_deadline
from .loader import available_rule_sets, load_rule_set, parse_rule_set, rule_set_for_date
from .model import (
    CHANNELS,
    GroupRules,
    HeldConversation,
    Indicator,
    Obligation,
    Requirement,
    RuleSet,
    RuleSetError,
    TargetGroup,
    TimelinessStatus,
)
from .status import had_conversation_within, next_open_obligation, timeliness_status

__all__ = [
    "CHANNELS",
    "GroupRules",
    "HeldConversation",
    "Indicator",
    "Obligation",
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
    "load_rule_set",
    "next_open_obligation",
    "parse_rule_set",
    "rehab_presentation_deadline",
    "rule_set_for_date",
    "self_booking_deadline",
    "timeliness_status",
]
