"""What changes on a date: per target group, whose obligations a law change adds, removes or
moves (:func:`booking.rules.law_changes_on` over the live programmes).

A programme counts when it started before the day and has not ended before it. The comparison
is the engine's: the obligations as the law before the day would have them against those in
force with the change, up to ``day + horizon_days``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ... import rules
from ...database import transaction
from ...models import ActorKind, Citizen, Programme
from .. import audit
from ..obligations import HORIZON_DAYS, held_for, pauses_for
from .context import LawConfig, law_context
from .programmes import LawError

KINDS = ("added", "removed", "moved")


@dataclass(frozen=True)
class CitizenChange:
    citizen_id: int
    name: str
    programme_id: int
    group: str
    kind: str  # "added" | "removed" | "moved"
    before: rules.Obligation | None
    after: rules.Obligation | None

    @property
    def shown(self) -> rules.Obligation:
        found = self.after or self.before
        assert found is not None
        return found


@dataclass
class LawDiff:
    day: date
    changes: dict[str, list[CitizenChange]] = field(default_factory=dict)  # by target group
    programmes: Counter[str] = field(default_factory=Counter)  # programmes looked at, by group

    def counts(self, group: str) -> dict[str, int]:
        found = Counter(c.kind for c in self.changes.get(group, []))
        return {kind: found.get(kind, 0) for kind in KINDS}

    def citizens(self, group: str) -> int:
        return len({c.citizen_id for c in self.changes.get(group, [])})

    @property
    def citizen_ids(self) -> list[int]:
        return sorted({c.citizen_id for cs in self.changes.values() for c in cs})


def law_diff(
    session: Session,
    day: date,
    *,
    config: LawConfig | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> LawDiff:
    """Per target group, the changes a law change on ``day`` makes to live programmes
    (reading). :class:`LawError` ``no_rule_set`` when no set is in force the day before."""
    try:
        rules.rule_set_for_date(day - timedelta(days=1))
    except rules.RuleSetError:
        raise LawError("no_rule_set", day=day - timedelta(days=1)) from None
    context = law_context(session, config, around=day)
    until = day + timedelta(days=horizon_days)
    programmes = session.scalars(
        select(Programme)
        .options(selectinload(Programme.pauses), selectinload(Programme.citizen)
                 .selectinload(Citizen.conversations))
        .where(Programme.start_date < day,
               or_(Programme.end_date.is_(None), Programme.end_date >= day))
        .order_by(Programme.target_group, Programme.citizen_id, Programme.id)
    )
    diff = LawDiff(day)
    for programme in programmes:
        citizen = programme.citizen
        group = programme.target_group
        diff.programmes[group] += 1
        found = rules.law_changes_on(
            day,
            group,
            programme.start_date,
            held_for(citizen),
            until=until,
            birth_date=citizen.birth_date,
            programme_end=programme.end_date,
            pauses=pauses_for(programme),
            closed=context.closed,
        )
        for change in found:
            diff.changes.setdefault(group, []).append(
                CitizenChange(citizen.id, citizen.name, programme.id, group, change.kind,
                              change.before, change.after)
            )
    return diff


def law_diff_page(
    session: Session, day: date, *, viewer_id: int | None, config: LawConfig | None = None
) -> LawDiff:
    """:func:`law_diff` for the manager's page; each citizen shown is audited (committed)."""
    with transaction(session):
        diff = law_diff(session, day, config=config)
        for citizen_id in diff.citizen_ids:
            audit.record(
                session, actor_kind=ActorKind.staff, actor_id=viewer_id,
                action="law_changes_viewed", citizen_id=citizen_id,
                detail={"day": day.isoformat()},
            )
    return diff
