"""Register the shipped rule sets in the database."""

from __future__ import annotations

import hashlib
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import rules
from ..database import transaction
from ..models import RuleSetRecord


def rule_set_checksum(code: str) -> str:
    data = (resources.files("booking.rules") / "sets" / f"{code}.toml").read_bytes()
    return hashlib.sha256(data).hexdigest()


def sync_rule_sets(session: Session) -> list[RuleSetRecord]:
    """Insert or update a row per shipped rule set file (its own transaction)."""
    records = []
    with transaction(session):
        for code in rules.available_rule_sets():
            rs = rules.load_rule_set(code)
            row = session.scalar(select(RuleSetRecord).where(RuleSetRecord.code == code))
            if row is None:
                row = RuleSetRecord(code=code)
                session.add(row)
            row.name = rs.name_da
            row.effective_from = rs.effective_from
            row.effective_to = rs.effective_to
            row.checksum = rule_set_checksum(code)
            records.append(row)
    return records
