"""The manager's indicator per unit and target group: the share of conversations held on time
against the local targets (``[targets]`` interim and goal) and, where the 75 % rule applies
(``Requirement.min_share``), against the law's share; and the share of exemptions against the
set's maximum (a warning from ``[rules] exemption_warn_share``).

"On time" is judged against the statutory deadline (lovens frist): an obligation is due in a
period when its statutory deadline falls in it (and before today), held on time when it was
fulfilled on or before that deadline. Exempted (``waived``) obligations are not due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from ... import rules
from ...models import Citizen, Obligation, ObligationState, Programme, Unit
from ..obligations import BOOKABLE_KINDS
from .exemptions import ExemptionShare, exemption_shares


@dataclass(frozen=True)
class ShareRule:
    rule_set: str
    group: str
    requirement: str
    min_share: float


def share_rules() -> list[ShareRule]:
    """Every requirement of the packaged sets that must be met for a share of the group."""
    found = []
    for code in rules.available_rule_sets():
        rule_set = rules.load_rule_set(code)
        for group, group_rules in rule_set.groups.items():
            for req in group_rules.requirements:
                if req.min_share is not None:
                    found.append(ShareRule(code, str(group), req.id, req.min_share))
    return found


def max_exemption_share(today: date) -> float | None:
    """The maximum share of exemptions in the set in force today (``None``: no such rule)."""
    try:
        return rules.rule_set_for_date(today).max_exemption_share
    except rules.RuleSetError:
        return None


@dataclass(frozen=True)
class GroupIndicator:
    unit_id: int
    unit_name: str
    group: str
    due: int
    on_time: int
    law_due: int  # due under a requirement with a minimum share (the 75 % rule)
    law_on_time: int
    min_share: float | None  # the law's share for the group, where the rule applies
    exemptions: ExemptionShare
    max_exemption_share: float | None

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def law_share(self) -> float | None:
        return self.law_on_time / self.law_due if self.law_due else None

    @property
    def law_met(self) -> bool | None:
        if self.min_share is None or self.law_share is None:
            return None
        return self.law_share >= self.min_share

    @property
    def exemption_warning(self) -> bool:
        return self.exemptions.warn

    @property
    def exemption_over(self) -> bool:
        most = self.max_exemption_share
        return most is not None and self.exemptions.share > most


def _law_condition(found: list[ShareRule]) -> Any:
    if not found:
        return false()
    return or_(*(
        and_(Obligation.rule_set_code == r.rule_set,
             Obligation.step_key.like(f"{r.group}:{r.requirement}:%"))
        for r in found
    ))


def group_indicators(
    session: Session, start: date, end: date, today: date, *, warn_at: float
) -> list[GroupIndicator]:
    """One row per unit and target group for conversations due in ``[start, end)`` (only
    statutory deadlines before ``today`` count), with the unit's exemption share today."""
    found = share_rules()
    law = _law_condition(found)
    on_time = and_(Obligation.fulfilled_on.is_not(None),
                   Obligation.fulfilled_on <= Obligation.statutory_deadline)
    stmt = (
        select(
            Unit.id, Unit.name, Programme.target_group,
            func.count(Obligation.id),
            func.coalesce(func.sum(case((on_time, 1), else_=0)), 0),
            func.coalesce(func.sum(case((law, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(law, on_time), 1), else_=0)), 0),
        )
        .select_from(Obligation)
        .join(Programme, Programme.id == Obligation.programme_id)
        .join(Citizen, Citizen.id == Obligation.citizen_id)
        .join(Unit, Unit.id == Citizen.unit_id)
        .where(
            Obligation.kind.in_(BOOKABLE_KINDS),
            Obligation.holder == "jobcentre",
            Obligation.mandatory.is_(True),
            Obligation.state != ObligationState.waived,
            Obligation.statutory_deadline >= start,
            Obligation.statutory_deadline < min(end, today),
        )
        .group_by(Unit.id, Unit.name, Programme.target_group)
    )
    counts = {
        (unit_id, group): (name, int(d), int(t), int(ld), int(lt))
        for unit_id, name, group, d, t, ld, lt in session.execute(stmt)
    }
    shares = exemption_shares(session, today, warn_at=warn_at)
    names = {unit_id: name for unit_id, name in session.execute(select(Unit.id, Unit.name))}
    min_share: dict[str, float] = {}
    for r in found:
        min_share[r.group] = max(min_share.get(r.group, 0.0), r.min_share)
    most = max_exemption_share(today)
    rows = []
    for key in sorted(set(counts) | set(shares), key=lambda k: (names.get(k[0], ""), k[1])):
        unit_id, group = key
        _name, due, held, law_due, law_held = counts.get(key, ("", 0, 0, 0, 0))
        share = shares.get(key, ExemptionShare(unit_id, group, 0, 0, warn_at))
        rows.append(GroupIndicator(
            unit_id, names.get(unit_id, ""), group, due, held, law_due, law_held,
            min_share.get(group), share, most,
        ))
    return rows
