"""A plan made elsewhere comes back: a ``jobcenter-plan-solution/1`` document is checked
against the live data and applied like an accepted run.

The document's ids are those :func:`~.problem.export_plan` wrote (``o-<obligation>``,
``s-<slot>``). Every placement is checked against the live problem of the citizens' units,
built now: the conversation and the slot must still exist, the conversation still be open (or
its booking movable) with its deadline not passed, the slot usable and after the lock period,
and the whole plan must keep every hard rule (``solver.check`` on the live problem, with every
booking the document does not move kept where it is). Problems are reported together as
:class:`~booking.services.errors.FormErrors` keyed by JSON path
(``conversations[3].slot`` → ``ServiceError("gone")``); nothing is changed then. Otherwise one
accepted :class:`~booking.models.PlanRun` per unit (trigger ``cli`` without a staff user,
``manual`` with one) records the import, and its proposals are applied in one transaction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import solver
from solver.solution import Unplanned

from ...database import transaction
from ...models import (
    Booking,
    BookingState,
    Citizen,
    Obligation,
    ObligationState,
    PlanRun,
    PlanRunState,
    PlanTrigger,
    Slot,
)
from ...settings import Settings
from ..clock import now_utc, today_local
from ..errors import FormErrors, ServiceError
from .apply import apply_proposals, integrity_code
from .errors import PlanningError
from .problem import MAX_WEEKS, LivePlan, build_plan
from .proposals import outcome
from .rows import chunks, local_day

_KEY = re.compile(r"^([a-z])-(\d+)$")
_RULE = re.compile(r"^rule (\d)")
_CONV_KEY = re.compile(r"\b[obx]-\d+\b")


@dataclass(frozen=True)
class ImportResult:
    run_ids: list[int]
    created: list[int]  # booking ids
    moved: list[int]
    kept: int  # placements that are already the live booking
    messages: int


def _number(key: object, prefix: str) -> int | None:
    match = _KEY.match(key) if isinstance(key, str) else None
    return int(match[2]) if match and match[1] == prefix else None


def _solution(document: Any) -> solver.Solution:
    try:
        return solver.Solution.from_json(document)
    except solver.ProblemError as exc:
        fields = {}
        for line in exc.problems:
            path, _, message = line.partition(": ")
            fields[path or "$"] = ServiceError("invalid", detail=message)
        raise FormErrors(fields) from None


def _live_plan(session: Session, placements: list[tuple[int | None, int | None]],
               today: date, settings: Settings) -> LivePlan | None:
    """The live problem of the units the document's conversations belong to, with a horizon
    that reaches its latest slot."""
    ob_ids = [o for o, _ in placements if o is not None]
    slot_ids = [s for _, s in placements if s is not None]
    units: set[int] = set()
    for part in chunks(ob_ids):
        units.update(session.scalars(
            select(Citizen.unit_id).join(Obligation, Obligation.citizen_id == Citizen.id)
            .where(Obligation.id.in_(part))))
    if not units:
        return None
    last = today
    for part in chunks(slot_ids):
        for starts_at in session.scalars(select(Slot.starts_at).where(Slot.id.in_(part))):
            last = max(last, local_day(starts_at))
    weeks = max(settings.planning.horizon_weeks, -(-((last - today).days + 1) // 7))
    return build_plan(session, sorted(units), today=today, weeks=min(weeks, MAX_WEEKS),
                      settings=settings)


def _booked_there(session: Session, ob_id: int, slot_id: int) -> bool:
    return session.scalar(select(Booking.id).where(
        Booking.obligation_id == ob_id, Booking.slot_id == slot_id,
        Booking.state == BookingState.booked)) is not None


def _why_not_planned(session: Session, plan: LivePlan, ob_id: int) -> ServiceError:
    excluded = next((e for e in plan.excluded if e.obligation_id == ob_id), None)
    if excluded is not None:
        return ServiceError(excluded.code, **excluded.params)
    ob = session.get(Obligation, ob_id)
    if ob is None:
        return ServiceError("gone")
    if ob.state in (ObligationState.fulfilled, ObligationState.waived):
        return ServiceError("not_open", state=ob.state.value)
    if ob.deadline < plan.horizon.today:
        return ServiceError("deadline_passed", deadline=ob.deadline.isoformat())
    return ServiceError("not_plannable")


def _why_not_slot(session: Session, plan: LivePlan, slot_id: int) -> ServiceError:
    slot = session.get(Slot, slot_id)
    if slot is None:
        return ServiceError("gone")
    day = local_day(slot.starts_at)
    if day < plan.horizon.today:
        return ServiceError("slot_passed", day=day.isoformat())
    if day < plan.horizon.plan_from:
        return ServiceError("too_soon", lock_until=plan.horizon.lock_until.isoformat())
    if day > plan.horizon.end:
        return ServiceError("not_in_horizon", day=day.isoformat())
    return ServiceError("not_available")


def validate(session: Session, solution: solver.Solution, today: date,
             settings: Settings) -> tuple[LivePlan | None, solver.Solution]:
    """Check the document's placements against the live data; raises FormErrors. Returns
    the live plan and the solution of it the document amounts to."""
    raw = solution.conversations
    keys = [(_number(c, "o"), _number(s, "s")) for c, s in raw]
    plan = _live_plan(session, keys, today, settings)
    errors: dict[str, ServiceError] = {}
    ob_rows: set[int] = set()
    slot_rows: set[int] = set()
    for part in chunks([o for o, _ in keys if o is not None]):
        ob_rows.update(session.scalars(select(Obligation.id).where(Obligation.id.in_(part))))
    for part in chunks([s for _, s in keys if s is not None]):
        slot_rows.update(session.scalars(select(Slot.id).where(Slot.id.in_(part))))
    chosen: dict[str, str] = {}
    where: dict[str, int] = {}
    for i, ((conv, slot), (ob_id, slot_id)) in enumerate(zip(raw, keys, strict=True)):
        path = f"conversations[{i}]"
        if conv.startswith(("x-", "b-")):
            continue  # a stand-in for a booking the plan keeps as it is
        if ob_id is None or ob_id not in ob_rows:
            errors[f"{path}.conversation"] = ServiceError("gone")
            continue
        if slot_id is None or slot_id not in slot_rows:
            errors[f"{path}.slot"] = ServiceError("gone")
            continue
        assert plan is not None
        ref = plan.conversations.get(conv)
        if ref is None:
            if not _booked_there(session, ob_id, slot_id):  # else: kept as it is
                errors[f"{path}.conversation"] = _why_not_planned(session, plan, ob_id)
            continue
        if ref.locked and ref.slot_id != slot_id:
            errors[f"{path}.conversation"] = ServiceError("locked", booking=ref.booking_id)
            continue
        if slot not in plan.slots and not (ref.booking_id and ref.slot_id == slot_id):
            errors[f"{path}.slot"] = _why_not_slot(session, plan, slot_id)
            continue
        chosen[conv] = slot
        where[conv] = i
    if errors or plan is None:
        raise FormErrors(errors or {"conversations": ServiceError("empty")})
    merged = _merged(plan, chosen)
    broken = solver.check(plan.load(), merged)
    for line in broken:
        rule = _RULE.match(line)
        code = ServiceError("rule_broken", rule=int(rule[1]) if rule else 0, detail=line)
        found = [where[k] for k in _CONV_KEY.findall(line) if k in where]
        errors[f"conversations[{found[-1]}].slot" if found else "$"] = code
    if errors:  # a live booking the document drops is kept: say so, it explains the clash
        for j, item in enumerate(solution.unplanned):
            ref = plan.conversations.get(item.id)
            if ref is not None and ref.booking_id is not None and not ref.locked:
                errors[f"unplanned[{j}].id"] = ServiceError("booking_dropped",
                                                            booking=ref.booking_id)
        raise FormErrors(errors)
    return plan, merged


def _merged(plan: LivePlan, chosen: dict[str, str]) -> solver.Solution:
    """The live bookings, with the document's placements laid over them."""
    placed = {b["conversation"]: b["slot"] for b in plan.document["bookings"]}
    placed.update(chosen)
    unplanned = [Unplanned(key, "not placed") for key in plan.conversations if key not in placed]
    return solver.Solution("feasible", sorted(placed.items()), [], unplanned, {})


def import_solution(
    session: Session,
    document: Any,
    *,
    staff_id: int | None,
    settings: Settings,
    today: date | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Validate ``document`` against the live data and apply it; commits, or raises
    :class:`FormErrors` (JSON paths) / :class:`PlanningError` with nothing changed."""
    today = today or today_local()
    now = now or now_utc()
    solution = _solution(document)
    plan, merged = validate(session, solution, today, settings)
    assert plan is not None
    result = outcome(plan, merged)
    proposals = [dict(p, status="accepted") for p in result.proposals]
    by_unit: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in proposals:
        by_unit[p["unit_id"]].append(p)
    trigger = PlanTrigger.manual if staff_id is not None else PlanTrigger.cli
    stats = {k: v for k, v in solution.stats.items() if isinstance(v, int | float | str)}
    try:
        with transaction(session):
            runs: dict[int, PlanRun] = {}
            for unit_id, items in sorted(by_unit.items()):
                runs[unit_id] = PlanRun(
                    unit_id=unit_id, state=PlanRunState.accepted, trigger=trigger,
                    triggered_by_staff_id=staff_id, trigger_detail={"imported": stats},
                    horizon_start=plan.horizon.today, horizon_end=plan.horizon.end,
                    stage="done", started_at=now, finished_at=now, accepted_at=now,
                    accepted_by_staff_id=staff_id, fingerprint=plan.fingerprint,
                    figures={"imported": True, "new": sum(p["kind"] == "new" for p in items),
                             "moved": sum(p["kind"] == "move" for p in items)},
                    proposals=items, unplanned=[])
                session.add(runs[unit_id])
            session.flush()
            run_ids = {p["id"]: runs[p["unit_id"]].id for p in proposals}
            applied = apply_proposals(session, proposals, run_ids=run_ids, staff_id=staff_id,
                                      settings=settings, now=now, today=today)
    except IntegrityError as exc:
        raise PlanningError(integrity_code(exc), proposals=[p["id"] for p in proposals]) from None
    return ImportResult(sorted(r.id for r in runs.values()), applied.created, applied.moved,
                        result.figures["kept"], applied.messages)
