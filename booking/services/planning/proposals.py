"""What a solution proposes against the live bookings: new and moved bookings, the unplanned.

A proposal is a JSON object (stored in ``PlanRun.proposals``)::

    {"id": 3, "kind": "new" | "move", "status": "proposed" | "accepted",
     "conversation": "o-12", "obligation_id": 12, "citizen_id": 5, "unit_id": 2,
     "booking_id": null | 7, "from_slot_id": null | 55, "from_day": null | "2027-03-09",
     "slot_id": 99, "caseworker_id": 3, "day": "2027-03-10", "deadline": "2027-03-12",
     "on_time": true, "reason": {"code": ..., "params": {...}} (moves only),
     "needs": [ids of proposals that free its seat or day],
     "versions": {"conversation": ..., "slot": ...}}

A move's reason code says which objective it wins (``plan-format.md``: on-time weight first,
then lateness, then robustness to no-shows, then stability): ``slot_unavailable`` (its slot can
no longer be used: absence, closed day), ``on_time`` (late where it is, on time where it goes),
``frees_seat`` (its seat or caseworker-day goes to another conversation: ``for_obligation``,
``at_risk`` when that one is otherwise not on time), ``day_limit`` (its caseworker-day is over
``max_per_day``), ``citizen_day`` (the citizen has another conversation that day), ``earlier``
(still late, fewer days), ``no_show_margin`` (early enough to rebook after a no-show),
``objective`` (any other gain of a higher objective). A citizen's own booking is locked in the
problem and is never moved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import solver
from solver.solution import Unplanned

from .problem import LivePlan
from .refs import Excluded

# English wording of the builder's own codes (the solver words its own)
EXCLUDED_TEXT = {
    "no_caseworker": "the citizen's unit has no caseworker",
    "no_channel": "the conversation allows none of the citizen's channels",
    "channel_conflict": "its channels exclude those of the citizen's earlier conversation",
}


@dataclass
class Outcome:
    proposals: list[dict[str, Any]]
    unplanned: list[dict[str, Any]]
    figures: dict[str, Any]
    unplaced_movable: list[str]  # movable bookings the solver left without a place


def lock_bookings(plan: LivePlan, keys: list[str]) -> None:
    """Keep these movable bookings where they are (the plan never cancels a booking)."""
    wanted = set(keys)
    for booking in plan.document["bookings"]:
        if booking["conversation"] in wanted:
            booking["locked"] = True
    for key in wanted:
        plan.conversations[key] = replace(plan.conversations[key], locked=True)


def _number(value: Any) -> int | float:
    x = Fraction(value).limit_denominator(10_000)
    return int(x) if x.denominator == 1 else float(x)


def _ids(params: dict[str, Any]) -> dict[str, Any]:
    """The solver's params, with the database ids beside the document's."""
    out = dict(params)
    if isinstance(out.get("caseworker"), str) and out["caseworker"].startswith("w-"):
        out["caseworker_id"] = int(out["caseworker"][2:])
    if isinstance(out.get("unit"), str) and out["unit"].startswith("u-"):
        out["unit_id"] = int(out["unit"][2:])
    return out


def excluded_item(item: Excluded) -> dict[str, Any]:
    return {"conversation": item.key, "obligation_id": item.obligation_id,
            "citizen_id": item.citizen_id, "code": item.code, "params": dict(item.params),
            "reason": EXCLUDED_TEXT.get(item.code, item.code)}


def outcome(plan: LivePlan, solution: solver.Solution) -> Outcome:
    """Proposals, unplanned and figures of a solution of ``plan``."""
    refs = plan.conversations
    placed = dict(solution.conversations)
    proposals: list[dict[str, Any]] = []
    kept = 0
    for key in sorted(placed, key=_order):
        ref, slot = refs[key], plan.slots[placed[key]]
        if ref.pseudo or ref.locked:
            continue
        if ref.booking_id is not None and not ref.lifted and ref.slot_id == slot.slot_id:
            kept += 1
            continue
        proposals.append({
            "id": len(proposals) + 1, "kind": "new" if ref.booking_id is None else "move",
            "status": "proposed", "conversation": key, "obligation_id": ref.obligation_id,
            "citizen_id": ref.citizen_id, "unit_id": ref.unit_id, "booking_id": ref.booking_id,
            "from_slot_id": ref.slot_id, "slot_id": slot.slot_id,
            "from_day": ref.booked_day.isoformat() if ref.booked_day else None,
            "caseworker_id": slot.caseworker_id, "day": slot.day.isoformat(),
            "deadline": ref.deadline.isoformat(), "on_time": slot.day <= ref.deadline,
            "versions": {"conversation": ref.version, "slot": slot.version},
        })
    _needs(plan, proposals)
    _reasons(plan, proposals)
    unplaced_movable = [k for k, r in refs.items()
                        if r.booking_id is not None and not r.locked and not r.lifted
                        and k not in placed]
    unplanned = [excluded_item(item) for item in plan.excluded]
    for item in solution.unplanned:
        found = refs.get(item.id)
        if found is None or found.pseudo:
            continue
        ref = found
        code = item.code if isinstance(item, Unplanned) else "unplanned"
        params = item.params if isinstance(item, Unplanned) else {}
        unplanned.append({"conversation": item.id, "obligation_id": ref.obligation_id,
                          "citizen_id": ref.citizen_id, "booking_id": ref.booking_id,
                          "code": code, "params": _ids(params), "reason": item.reason})
    return Outcome(proposals, unplanned, _figures(plan, solution, proposals, kept),
                   unplaced_movable)


def _order(key: str) -> tuple[str, int]:
    prefix, _, number = key.partition("-")
    return prefix, int(number) if number.isdigit() else 0


def _figures(plan: LivePlan, solution: solver.Solution, proposals: list[dict[str, Any]],
             kept: int) -> dict[str, Any]:
    st = solution.stats
    stand_ins = plan.stats.get("stand_ins", 0)  # locked and on time: in both weight and bound
    real = [r for r in plan.conversations.values() if not r.pseudo]
    on_time = late = 0
    placed = dict(solution.conversations)
    for ref in real:
        if ref.key in placed:
            if plan.slots[placed[ref.key]].day <= ref.deadline:
                on_time += 1
            else:
                late += 1
    return {
        "status": solution.status,
        "on_time_weight": _number(Fraction(str(st.get("on_time_weight", 0))) - stand_ins),
        "upper_bound_on_time_weight": _number(
            Fraction(str(st.get("upper_bound_on_time_weight", 0))) - stand_ins),
        "on_time": on_time,
        "late": late,
        "unplanned": len(real) - on_time - late + len(plan.excluded),
        "new": sum(1 for p in proposals if p["kind"] == "new"),
        "moved": sum(1 for p in proposals if p["kind"] == "move"),
        "kept": kept,
        "locked": sum(1 for r in real if r.locked),
        "excluded": len(plan.excluded),
        "conversations": len(real) + len(plan.excluded),
        "slots": len(plan.slots),
        "solve_seconds": st.get("solve_seconds", 0.0),
        "late_days_total": st.get("late_days_total", 0),
        "horizon": [plan.horizon.today.isoformat(), plan.horizon.end.isoformat()],
        "plan_from": plan.horizon.plan_from.isoformat(),
    }


def _occupancy(plan: LivePlan) -> tuple[dict[int, int], dict[tuple[int, date], int],
                                        dict[tuple[str, date], int]]:
    """Bookings per slot, per caseworker-day and per citizen-day when the plan was built."""
    slots = {ref.key: ref for ref in plan.slots.values()}
    citizen_of = {c["id"]: c["citizen"] for c in plan.document["conversations"]}
    per_slot: dict[int, int] = defaultdict(int)
    per_cwday: dict[tuple[int, date], int] = defaultdict(int)
    per_citday: dict[tuple[str, date], int] = defaultdict(int)
    for booking in plan.document["bookings"]:
        slot = slots[booking["slot"]]
        per_slot[slot.slot_id] += 1
        per_cwday[(slot.caseworker_id, slot.day)] += 1
        per_citday[(citizen_of[booking["conversation"]], slot.day)] += 1
    return per_slot, per_cwday, per_citday


def _needs(plan: LivePlan, proposals: list[dict[str, Any]]) -> None:
    """Each proposal's ``needs``: the moves that free the seat, caseworker-day or citizen-day
    it goes into, where that was full when the plan was made."""
    per_slot, per_cwday, _ = _occupancy(plan)
    capacity = {ref.slot_id: ref.capacity for ref in plan.slots.values()}
    limits = {int(w["id"][2:]): w.get("max_per_day") for w in plan.document["caseworkers"]}
    out_slot: dict[int, list[int]] = defaultdict(list)
    out_cwday: dict[tuple[int, date], list[int]] = defaultdict(list)
    out_citday: dict[tuple[int, date], list[int]] = defaultdict(list)
    old = {ref.slot_id: ref for ref in plan.slots.values()}
    for p in proposals:
        if p["kind"] == "move" and p["from_slot_id"] in old:
            slot = old[p["from_slot_id"]]
            out_slot[slot.slot_id].append(p["id"])
            out_cwday[(slot.caseworker_id, slot.day)].append(p["id"])
            out_citday[(p["citizen_id"], slot.day)].append(p["id"])
    for p in proposals:
        day = date.fromisoformat(p["day"])
        needs = set(out_citday.get((p["citizen_id"], day), ()))
        if per_slot[p["slot_id"]] >= capacity[p["slot_id"]]:
            needs.update(out_slot.get(p["slot_id"], ()))
        limit = limits.get(p["caseworker_id"])
        if limit is not None and per_cwday[(p["caseworker_id"], day)] >= limit:
            needs.update(out_cwday.get((p["caseworker_id"], day), ()))
        needs.discard(p["id"])
        p["needs"] = sorted(needs)


def _reasons(plan: LivePlan, proposals: list[dict[str, Any]]) -> None:
    """The reason code of each move (see the module docstring)."""
    by_id = {p["id"]: p for p in proposals}
    needed_by: dict[int, list[int]] = defaultdict(list)
    for p in proposals:
        for n in p["needs"]:
            needed_by[n].append(p["id"])
    _, per_cwday, per_citday = _occupancy(plan)
    limits = {int(w["id"][2:]): w.get("max_per_day") for w in plan.document["caseworkers"]}
    old = {ref.slot_id: ref for ref in plan.slots.values()}
    citizens = {c["id"]: c for c in plan.document["citizens"]}
    rebook = timedelta(days=plan.horizon.rebook_days)
    for p in proposals:
        if p["kind"] != "move":
            continue
        ref = plan.conversations[p["conversation"]]
        new, deadline = date.fromisoformat(p["day"]), ref.deadline
        was = ref.booked_day or new
        span = {"from": was.isoformat(), "to": new.isoformat(), "deadline": deadline.isoformat()}
        slot = old.get(p["from_slot_id"])
        limit = limits.get(slot.caseworker_id) if slot is not None else None
        probability = citizens.get(f"c-{ref.citizen_id}", {}).get("show_probability", 1.0)
        if ref.lifted or slot is None:
            reason: dict[str, Any] = {"code": "slot_unavailable", "params": span}
        elif was > deadline >= new:
            reason = {"code": "on_time", "params": span}
        elif needed_by.get(p["id"]):
            other = by_id[needed_by[p["id"]][0]]
            reason = {"code": "frees_seat", "params": {
                **span, "for_obligation": other["obligation_id"],
                "for_citizen": other["citizen_id"], "at_risk": bool(other["on_time"])}}
        elif limit is not None and per_cwday[(slot.caseworker_id, was)] > limit:
            reason = {"code": "day_limit", "params": {**span, "max_per_day": limit}}
        elif per_citday[(f"c-{ref.citizen_id}", was)] > 1:
            reason = {"code": "citizen_day", "params": span}
        elif was > deadline and new < was:
            reason = {"code": "earlier", "params": {**span, "days": (was - new).days}}
        elif new + rebook <= deadline < was + rebook:
            reason = {"code": "no_show_margin",
                      "params": {**span, "show_probability": probability}}
        else:
            reason = {"code": "objective", "params": span}
        p["reason"] = reason
