"""The 75 % rule as data: exemptions per citizen and obligation.

From 2026-07-01 (lov nr. 1750 af 29/12/2025) some requirements need only be met for a share of
the target group (``Requirement.min_share``, e.g. 0.75); the municipality may exempt the rest
(at most ``RuleSet.max_exemption_share``, e.g. 0.25) by a concrete assessment. An exemption is
kept per citizen and obligation (programme + the engine's step key, so it survives a
recompute), with reason, who and when; it is revoked, never deleted. An exempted obligation is
``waived``: not planned and not counted as due.

The share is counted per unit and target group: citizens with a live exemption among the
citizens whose programme in that group runs today. Exempting is refused when it would take the
share above the set's maximum; from ``[rules] exemption_warn_share`` the answer carries a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ... import rules
from ...database import transaction
from ...models import (
    ActorKind,
    Citizen,
    Obligation,
    ObligationExemption,
    ObligationState,
    Programme,
    Unit,
)
from .. import audit
from ..clock import now_utc, today_local
from ..errors import NotFound
from ..obligations import live_obligation_ids, requirement_of
from .programmes import LawError

REASON_MAX = 500


def min_share_of(rule_set_code: str, group: str, step_key: str) -> float | None:
    req = requirement_of(rule_set_code, group, step_key)
    return None if req is None else req.min_share


def max_share_of(rule_set_code: str) -> float | None:
    try:
        return rules.load_rule_set(rule_set_code).max_exemption_share
    except rules.RuleSetError:
        return None


@dataclass(frozen=True)
class ExemptionShare:
    unit_id: int
    group: str
    exempted: int  # citizens with a live exemption
    citizens: int  # citizens whose programme in the group runs
    warn_at: float  # [rules] exemption_warn_share

    @property
    def share(self) -> float:
        return self.exempted / self.citizens if self.citizens else 0.0

    @property
    def warn(self) -> bool:
        return self.exempted > 0 and self.share >= self.warn_at


def exemption_shares(
    session: Session, today: date, *, warn_at: float
) -> dict[tuple[int, str], ExemptionShare]:
    """The exemption share of every unit and target group (reading)."""
    running = or_(Programme.end_date.is_(None), Programme.end_date >= today)
    citizens = session.execute(
        select(Citizen.unit_id, Programme.target_group, func.count(func.distinct(Citizen.id)))
        .join(Programme, Programme.citizen_id == Citizen.id)
        .where(Programme.start_date <= today, running)
        .group_by(Citizen.unit_id, Programme.target_group)
    )
    exempted = dict(
        ((unit_id, group), int(n))
        for unit_id, group, n in session.execute(
            select(Citizen.unit_id, Programme.target_group,
                   func.count(func.distinct(Citizen.id)))
            .join(Programme, Programme.citizen_id == Citizen.id)
            .join(ObligationExemption, ObligationExemption.programme_id == Programme.id)
            .where(ObligationExemption.revoked_at.is_(None), running)
            .group_by(Citizen.unit_id, Programme.target_group)
        )
    )
    return {
        (unit_id, group): ExemptionShare(
            unit_id, group, exempted.get((unit_id, group), 0), int(n), warn_at
        )
        for unit_id, group, n in citizens
    }


def _share_with(session: Session, citizen: Citizen, programme: Programme,
                today: date, warn_at: float) -> ExemptionShare:
    running = or_(Programme.end_date.is_(None), Programme.end_date >= today)
    in_group = (
        select(Citizen.id)
        .join(Programme, Programme.citizen_id == Citizen.id)
        .where(Citizen.unit_id == citizen.unit_id, Programme.target_group ==
               programme.target_group, Programme.start_date <= today, running)
    )
    citizens = set(session.scalars(in_group)) | {citizen.id}
    exempted = set(
        session.scalars(
            select(ObligationExemption.citizen_id)
            .join(Programme, Programme.id == ObligationExemption.programme_id)
            .join(Citizen, Citizen.id == ObligationExemption.citizen_id)
            .where(ObligationExemption.revoked_at.is_(None),
                   Citizen.unit_id == citizen.unit_id,
                   Programme.target_group == programme.target_group, running)
        )
    ) | {citizen.id}
    return ExemptionShare(
        citizen.unit_id, programme.target_group, len(exempted), len(citizens), warn_at
    )


@dataclass(frozen=True)
class ExemptionResult:
    exemption: ObligationExemption
    share: ExemptionShare  # the unit's share with this exemption
    most: float | None  # the set's maximum share of exemptions


def _text(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise LawError("reason_required")
    if len(text) > REASON_MAX:
        raise LawError("reason_too_long", most=REASON_MAX)
    return text


def exempt(
    session: Session,
    obligation_id: int,
    reason: str,
    *,
    staff_id: int | None,
    warn_at: float,
    today: date | None = None,
) -> ExemptionResult:
    """Exempt the citizen from one obligation by a concrete assessment (audited, committed);
    the result warns from ``warn_at`` of the group exempted.

    Codes: ``reason_required``, ``reason_too_long``, ``not_under_share_rule`` (the
    requirement has no ``min_share``), ``already_exempt``, ``already_fulfilled``,
    ``obligation_booked`` (cancel the booking first), ``share_exceeded`` (params ``share``
    and ``most`` in whole per cent).
    """
    text = _text(reason)
    today = today or today_local()
    with transaction(session):
        ob = session.get(Obligation, obligation_id)
        if ob is None:
            raise NotFound("obligation")
        programme = ob.programme
        citizen = ob.citizen
        # one exemption at a time per unit: the share check and the insert do not interleave
        session.execute(select(Unit.id).where(Unit.id == citizen.unit_id).with_for_update())
        if min_share_of(ob.rule_set_code, programme.target_group, ob.step_key) is None:
            raise LawError("not_under_share_rule")
        live = session.scalar(
            select(ObligationExemption.id).where(
                ObligationExemption.programme_id == ob.programme_id,
                ObligationExemption.step_key == ob.step_key,
                ObligationExemption.revoked_at.is_(None),
            )
        )
        if live is not None:
            raise LawError("already_exempt")
        if ob.fulfilled_on is not None:
            raise LawError("already_fulfilled")
        if ob.id in live_obligation_ids(session, [citizen.id]):
            raise LawError("obligation_booked")
        share = _share_with(session, citizen, programme, today, warn_at)
        most = max_share_of(ob.rule_set_code)
        if most is None or share.share > most + 1e-9:
            raise LawError("share_exceeded", share=round(share.share * 100),
                           most=round((most or 0) * 100))
        exemption = ObligationExemption(
            citizen_id=citizen.id, programme_id=ob.programme_id, step_key=ob.step_key,
            reason=text, created_by_staff_id=staff_id,
        )
        session.add(exemption)
        ob.state = ObligationState.waived
        session.flush()
        audit.record(
            session, actor_kind=ActorKind.staff, actor_id=staff_id, action="obligation_exempted",
            citizen_id=citizen.id, object_type="obligation_exemption", object_id=exemption.id,
            detail={"obligation": ob.id, "step_key": ob.step_key, "reason": text,
                    "share": round(share.share, 4)},
        )
    return ExemptionResult(exemption, share, most)


def revoke_exemption(
    session: Session, exemption_id: int, reason: str, *, staff_id: int | None
) -> ObligationExemption:
    """Revoke a live exemption (audited, committed): the obligation is due again.

    Codes: ``reason_required``, ``reason_too_long``, ``already_revoked``.
    """
    text = _text(reason)
    with transaction(session):
        exemption = session.get(ObligationExemption, exemption_id)
        if exemption is None:
            raise NotFound("exemption")
        if exemption.revoked_at is not None:
            raise LawError("already_revoked")
        exemption.revoked_at = now_utc()
        exemption.revoked_by_staff_id = staff_id
        exemption.revoke_reason = text
        ob = session.scalar(
            select(Obligation).where(
                Obligation.programme_id == exemption.programme_id,
                Obligation.step_key == exemption.step_key,
            )
        )
        if ob is not None and ob.state == ObligationState.waived:
            ob.state = ObligationState.open
        session.flush()
        audit.record(
            session, actor_kind=ActorKind.staff, actor_id=staff_id,
            action="obligation_exemption_revoked", citizen_id=exemption.citizen_id,
            object_type="obligation_exemption", object_id=exemption.id,
            detail={"step_key": exemption.step_key, "reason": text},
        )
    return exemption
