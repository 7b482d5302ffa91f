"""A citizen's programmes: a change of target group, and pauses in a programme's clock.

Each function is a unit of work of its own (``transaction``): the change, the recomputed
obligations and the audit entry are committed together, or nothing is. Refusals are
:class:`LawError` codes (see each function); a missing object is :class:`NotFound`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import rules
from ...database import transaction
from ...models import (
    TARGET_GROUPS,
    ActorKind,
    Citizen,
    Programme,
    ProgrammePause,
)
from .. import audit
from ..clock import today_local
from ..errors import NotFound, ServiceError
from ..obligations import Refresh, refresh, rehome_bookings
from .context import LawConfig, law_context, rule_set_code_for

REASON_MAX = 200
END_REASON_GROUP_CHANGED = "target_group_changed"


class LawError(ServiceError):
    """A refused change of programme, pause or exemption; nothing was changed."""


@dataclass(frozen=True)
class ProgrammeChange:
    ended: Programme
    started: Programme
    refresh: Refresh


def current_programme(citizen: Citizen, day: date) -> Programme | None:
    """The programme running on ``day`` (the latest started, not ended before it)."""
    running = [
        p for p in citizen.programmes
        if p.start_date <= day and (p.end_date is None or p.end_date >= day)
    ]
    return max(running, key=lambda p: (p.start_date, p.id)) if running else None


def _staff_audit(
    session: Session, staff_id: int | None, action: str, citizen_id: int, object_type: str,
    object_id: int | None, detail: dict[str, object],
) -> None:
    audit.record(
        session, actor_kind=ActorKind.staff, actor_id=staff_id, action=action,
        citizen_id=citizen_id, object_type=object_type, object_id=object_id,
        detail={k: (v.isoformat() if isinstance(v, date) else v) for k, v in detail.items()},
    )


def change_target_group(
    session: Session,
    citizen_id: int,
    new_group: str,
    start: date,
    *,
    staff_id: int | None,
    config: LawConfig | None = None,
    today: date | None = None,
) -> ProgrammeChange:
    """End the citizen's running programme the day before ``start`` (end reason
    ``target_group_changed``) and start one in ``new_group``; obligations are recomputed so
    that each held conversation counts once (the old programme ignores what is held after its
    end, the new one what was held before its start).

    Codes: ``unknown_group``, ``no_programme`` (nothing runs on ``start``), ``same_group``,
    ``start_not_after_programme`` (the new start must be after the old one's), ``no_rule_set``.
    """
    if new_group not in TARGET_GROUPS:
        raise LawError("unknown_group", group=new_group)
    today = today or today_local()
    with transaction(session):
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            raise NotFound("citizen")
        old = current_programme(citizen, start)
        if old is None:
            raise LawError("no_programme", day=start)
        if old.target_group == new_group:
            raise LawError("same_group", group=new_group)
        if start <= old.start_date:
            raise LawError("start_not_after_programme", start=old.start_date)
        try:
            code = rule_set_code_for(config, start, today)
        except rules.RuleSetError:
            raise LawError("no_rule_set", day=start) from None
        old.end_date = start - timedelta(days=1)
        old.end_reason = END_REASON_GROUP_CHANGED
        new = Programme(target_group=new_group, start_date=start, rule_set_code=code)
        citizen.programmes.append(new)
        session.flush()
        context = law_context(session, config, around=today)
        result = refresh(session, citizen, today, law=context)
        if rehome_bookings(session, result, into=new.id):
            result = refresh(session, citizen, today, law=context)
        _staff_audit(
            session, staff_id, "target_group_changed", citizen.id, "programme", new.id,
            {"from": old.target_group, "to": new_group, "start": start,
             "ended_programme": old.id},
        )
    return ProgrammeChange(old, new, result)


def _programme(session: Session, programme_id: int) -> Programme:
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound("programme")
    return programme


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise LawError("reason_required")
    if len(text) > REASON_MAX:
        raise LawError("reason_too_long", most=REASON_MAX)
    return text


def _overlaps(pauses: list[ProgrammePause], start: date, end: date | None,
              skip: int | None = None) -> bool:
    for p in pauses:
        if p.id == skip:
            continue
        p_end = p.end_date or date.max
        if start <= p_end and p.start_date <= (end or date.max):
            return True
    return False


def add_pause(
    session: Session,
    programme_id: int,
    start: date,
    end: date | None,
    reason: str,
    *,
    staff_id: int | None,
    config: LawConfig | None = None,
    today: date | None = None,
) -> ProgrammePause:
    """Stop the programme's clock from ``start`` to ``end`` (``None``: until ended).

    Codes: ``reason_required``, ``reason_too_long``, ``pause_order`` (end before start),
    ``pause_before_programme``, ``pause_after_programme`` (it starts after the programme's
    end), ``pause_overlap``.
    """
    text = _reason(reason)
    if end is not None and end < start:
        raise LawError("pause_order")
    today = today or today_local()
    with transaction(session):
        programme = _programme(session, programme_id)
        if start < programme.start_date:
            raise LawError("pause_before_programme", start=programme.start_date)
        if programme.end_date is not None and start > programme.end_date:
            raise LawError("pause_after_programme", end=programme.end_date)
        if _overlaps(list(programme.pauses), start, end):
            raise LawError("pause_overlap")
        pause = ProgrammePause(start_date=start, end_date=end, reason=text,
                               created_by_staff_id=staff_id)
        programme.pauses.append(pause)
        session.flush()
        refresh(session, programme.citizen, today,
                law=law_context(session, config, around=today))
        _staff_audit(
            session, staff_id, "programme_pause_added", programme.citizen_id, "programme_pause",
            pause.id, {"programme": programme.id, "start": start, "end": end},
        )
    return pause


def end_pause(
    session: Session,
    pause_id: int,
    end: date,
    *,
    staff_id: int | None,
    config: LawConfig | None = None,
    today: date | None = None,
) -> ProgrammePause:
    """End a running pause on ``end`` (its last day). Codes: ``pause_ended`` (it has an end
    already), ``pause_order`` (end before its start), ``pause_overlap``."""
    today = today or today_local()
    with transaction(session):
        pause = session.get(ProgrammePause, pause_id)
        if pause is None:
            raise NotFound("pause")
        if pause.end_date is not None:
            raise LawError("pause_ended", end=pause.end_date)
        if end < pause.start_date:
            raise LawError("pause_order")
        programme = pause.programme
        if _overlaps(list(programme.pauses), pause.start_date, end, skip=pause.id):
            raise LawError("pause_overlap")
        pause.end_date = end
        session.flush()
        refresh(session, programme.citizen, today,
                law=law_context(session, config, around=today))
        _staff_audit(
            session, staff_id, "programme_pause_ended", programme.citizen_id, "programme_pause",
            pause.id, {"programme": programme.id, "end": end},
        )
    return pause


def programmes_of(session: Session, citizen_id: int) -> list[Programme]:
    """The citizen's programmes, oldest first (reading)."""
    return list(
        session.scalars(
            select(Programme)
            .where(Programme.citizen_id == citizen_id)
            .order_by(Programme.start_date, Programme.id)
        )
    )
