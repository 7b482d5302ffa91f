"""The planner's changes to the live scenario: caseworkers per unit (+/-), weekly hours (a
percentage of each caseworker's weekly slots), group call-ins a week per unit, and the
rehabilitation team's meetings a week and places per meeting.

`apply` changes a copy of the exported scenario dict; `problems` says (as field codes) what
cannot be simulated, before anything is stored or started.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from solver.simulation.types import WEEKDAYS

from ..errors import ServiceError
from ..rehab.projection import WEEKDAYS_BY_COUNT
from .export import LATEST_TIME, weekly_slots

# weekdays a new group call-in goes to, in this order (Tuesday first, as the simulation does)
CALLIN_DAYS = ("tue", "thu", "wed", "mon", "fri")
DEFAULT_CALLIN_TIMES = ("09:00", "09:30", "10:00", "10:30", "11:00", "11:30")
DEFAULT_CALLIN_POOL = 3


@dataclass(frozen=True)
class UnitChange:
    code: str
    caseworkers: int = 0  # added (negative: removed)
    hours_percent: int = 100  # weekly slots per caseworker, percent of today's
    group_callins: int = 0  # windows a week (absolute)


@dataclass(frozen=True)
class Changes:
    units: tuple[UnitChange, ...]
    rehab_meetings: int  # a week (absolute)
    rehab_capacity: int  # places per meeting

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class UnitToday:
    """A unit as exported: what the form starts from."""

    code: str
    caseworkers: int
    weekly_slots: int  # per caseworker
    group_callins: int


def units_today(scenario: dict[str, Any]) -> list[UnitToday]:
    return [
        UnitToday(
            u["id"],
            u["caseworkers"],
            weekly_slots(u.get("patterns", [])),
            len(u.get("group_callins", [])),
        )
        for u in scenario["units"]
    ]


def rehab_today(scenario: dict[str, Any]) -> tuple[int, int]:
    """Meetings a week and the largest places per meeting (5 when there are no meetings)."""
    meetings = scenario["rehab"]["meetings"]
    return len(meetings), max((m["capacity"] for m in meetings), default=5)


def problems(scenario: dict[str, Any], changes: Changes) -> dict[str, ServiceError]:
    """What cannot be simulated, per form field (`units-<i>-<field>`), as codes."""
    found: dict[str, ServiceError] = {}
    today = {u.code: u for u in units_today(scenario)}
    for i, change in enumerate(changes.units):
        unit = today.get(change.code)
        if unit is None:
            found[f"units-{i}-code"] = ServiceError("unknown_unit", unit=change.code)
            continue
        if unit.caseworkers + change.caseworkers < 1:
            found[f"units-{i}-caseworkers"] = ServiceError(
                "no_caseworkers_left", unit=unit.code, most=unit.caseworkers - 1
            )
        if unit.weekly_slots and round(unit.weekly_slots * change.hours_percent / 100) < 1:
            found[f"units-{i}-hours_percent"] = ServiceError("no_slots_left", unit=unit.code)
    return found


def _times_after(last: str, minutes: int) -> str | None:
    at = datetime.strptime(last, "%H:%M") + timedelta(minutes=minutes)
    end = at + timedelta(minutes=minutes)
    return at.strftime("%H:%M") if end.time() <= LATEST_TIME and end.day == at.day else None


def scale_patterns(patterns: list[dict[str, Any]], percent: int) -> list[dict[str, Any]]:
    """Each caseworker's weekly slots at ``percent`` of today's: fewer by dropping slots evenly
    across the week; more by lengthening each block (later times), block by block."""
    patterns = copy.deepcopy(patterns)
    now = weekly_slots(patterns)
    want = round(now * percent / 100)
    if want < now:
        # (pattern, time) pairs, each worth len(days) slots, kept by error diffusion
        keep: set[tuple[int, str]] = set()
        carry = 0.0
        for i, p in enumerate(patterns):
            weight = len(p["days"])
            for t in p["times"]:
                carry += weight * want / now
                if carry >= weight / 2:
                    keep.add((i, t))
                    carry -= weight
        for i, p in enumerate(patterns):
            p["times"] = [t for t in p["times"] if (i, t) in keep]
        return [p for p in patterns if p["times"]]
    while now < want:
        # block by block, a later slot that does not overshoot; else the one nearest
        grow = [
            p
            for p in patterns
            if p["times"] and _times_after(p["times"][-1], p["minutes"]) is not None
        ]
        fits = [p for p in grow if len(p["days"]) <= want - now]
        if not fits:
            near = [p for p in grow if len(p["days"]) < 2 * (want - now)]
            if not near:
                break
            fits = [min(near, key=lambda p: len(p["days"]))]
        for p in fits:
            if len(p["days"]) <= want - now or p is fits[0]:
                nxt = _times_after(p["times"][-1], p["minutes"])
                if nxt is not None and now < want:
                    p["times"].append(nxt)
                    now += len(p["days"])
    return patterns


def _callins(unit: dict[str, Any], count: int) -> list[dict[str, Any]]:
    have = list(unit.get("group_callins", []))
    if count <= len(have):
        return have[:count]
    model = (
        have[0]
        if have
        else {
            "times": list(DEFAULT_CALLIN_TIMES),
            "caseworkers": DEFAULT_CALLIN_POOL,
        }
    )
    used = {c["day"] for c in have}
    days = [d for d in CALLIN_DAYS if d not in used] or list(CALLIN_DAYS)
    for k in range(count - len(have)):
        have.append({**copy.deepcopy(model), "day": days[k % len(days)]})
    return have


def _resize(scenario: dict[str, Any], unit: dict[str, Any], size: int) -> None:
    """``size`` caseworkers: citizens of removed ones go round the ones left; their absences
    go."""
    code, old = unit["id"], unit["caseworkers"]
    unit["caseworkers"] = size
    for c in unit.get("group_callins", []):
        c["caseworkers"] = min(c["caseworkers"], size)
    if size >= old:
        return
    for cit in scenario["citizens"]:
        if cit["unit"] == code:
            n = int(cit["caseworker"].rsplit("-", 1)[1])
            if n > size:
                cit["caseworker"] = f"{code}-{(n - 1) % size + 1}"
    scenario["absences"] = [
        a
        for a in scenario["absences"]
        if not (
            a["caseworker"].rsplit("-", 1)[0] == code
            and int(a["caseworker"].rsplit("-", 1)[1]) > size
        )
    ]


def apply(scenario: dict[str, Any], changes: Changes, name: str) -> dict[str, Any]:
    """A changed copy of the exported scenario (``problems`` must be empty)."""
    out = copy.deepcopy(scenario)
    out["scenario"]["name"] = name
    by_code = {u["id"]: u for u in out["units"]}
    for change in changes.units:
        unit = by_code[change.code]
        if change.hours_percent != 100:
            unit["patterns"] = scale_patterns(unit.get("patterns", []), change.hours_percent)
        unit["group_callins"] = _callins(unit, change.group_callins)
        if change.caseworkers:
            _resize(out, unit, unit["caseworkers"] + change.caseworkers)
        for c in unit["group_callins"]:
            c["caseworkers"] = min(c["caseworkers"], unit["caseworkers"])
    days = WEEKDAYS_BY_COUNT.get(changes.rehab_meetings, ())
    out["rehab"]["meetings"] = [
        {"day": WEEKDAYS[d], "capacity": changes.rehab_capacity} for d in days
    ]
    return out
