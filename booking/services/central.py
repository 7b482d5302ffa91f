"""Citizens the job centre must book centrally: self-booking closed, nothing booked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .. import rules
from ..models import Obligation, ObligationState
from .obligations import BOOKABLE_KINDS, as_rule_obligation


@dataclass
class CentralItem:
    obligation: Obligation
    self_booking_until: date
    # "deadline_passed", or "no_slots": self-booking is open but no free time remains before it
    reason: str = "deadline_passed"


def central_booking_list(session: Session, today: date, *, local_days: int) -> list[CentralItem]:
    """Open conversations whose self-booking deadline has passed, or for which no free slot
    remains before it, earliest deadline first."""
    from .slot_search import obligations_without_slots

    rows = session.scalars(
        select(Obligation)
        .options(joinedload(Obligation.citizen), joinedload(Obligation.programme))
        .where(
            Obligation.state == ObligationState.open,
            Obligation.kind.in_(BOOKABLE_KINDS),
            Obligation.holder == "jobcentre",
            Obligation.earliest <= today,
        )
        .order_by(Obligation.deadline, Obligation.id)
    )
    items = []
    still_open = []
    for ob in rows:
        rule_set = rules.load_rule_set(ob.rule_set_code)
        until = rules.self_booking_deadline(
            rule_set, as_rule_obligation(ob, ob.programme.target_group), local_days=local_days
        )
        if until < today:
            items.append(CentralItem(ob, until))
        else:
            still_open.append((ob, until))
    until_of = {ob.id: until for ob, until in still_open}
    for ob in obligations_without_slots(session, still_open, today):
        items.append(CentralItem(ob, until_of[ob.id], "no_slots"))
    items.sort(key=lambda item: (item.obligation.deadline, item.obligation.id))
    return items
