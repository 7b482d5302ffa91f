"""Reasons a planner can act on, for every conversation and case left unplanned.

Reasons are computed from the data: which hard rule removed every slot, or which capacity
was used up by whom. Each is a `Reason`: a `code` with `params` (dates as ISO strings, ids,
counts, channel names) that a program can word in any language, and its English `text`
(`reason_text`), the sentence `jobcenter-plan-solution/1` has always carried.

Codes (params in brackets; `who` is `pool` = "caseworker" with `caseworker`, or `pool` =
"unit" with `unit`):

* `no_slot` [who]: the caseworker or unit has no slot at all;
* `no_slot_from` [who, from]: none on or after `from` (max of today and `earliest`);
* `no_channel_slot` [who, from, channels]: none in one of the citizen's channels;
* `no_long_slot` [who, from, channels, minutes]: none of at least `minutes`;
* `slots_used` [who, channels, minutes, slots, first, last, after_deadline, taken, day_limit,
  own]: every eligible slot is used (`taken` by other conversations, `day_limit` on days the
  caseworker's `max_per_day` is reached, `own` on days the citizen already has a conversation);
* `no_meeting` [first], `no_meeting_material` [first, material_from, lead_days],
  `no_capacity` [first_meeting, last_meeting, places, cases, taken]: rehabilitation cases;
* `solver_error` [error, message]: the solver failed (see `api.solve`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import Index
from .problem import CHANNELS, Problem
from .rehab import first_meeting_day

_CHANNEL_TEXT = {"in_person": "in-person", "phone": "phone", "video": "video"}

CONVERSATION_CODES = ("no_slot", "no_slot_from", "no_channel_slot", "no_long_slot",
                      "slots_used")
REHAB_CODES = ("no_meeting", "no_meeting_material", "no_capacity")
ERROR_CODE = "solver_error"
GENERAL_CODE = "unplanned"  # a reason without a code (a document written before codes)


@dataclass(frozen=True)
class Reason:
    """Why an item is unplanned: a code, its parameters, and the English sentence."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return reason_text(self.code, self.params)


def _channel_names(mask: int) -> list[str]:
    return [ch for i, ch in enumerate(CHANNELS) if mask >> i & 1]


def _channels_text(names: list[str]) -> str:
    words = [_CHANNEL_TEXT.get(ch, ch) for ch in names]
    return " or ".join(words) if words else "any channel"


def _who_text(params: Mapping[str, Any]) -> str:
    if params.get("pool") == "unit":
        return f"any caseworker of unit {params.get('unit')}"
    return f"the coordinating caseworker {params.get('caseworker')}"


def reason_text(code: str, params: Mapping[str, Any]) -> str:
    """The English sentence of a reason (the `reason` field of the solution document)."""
    p = params
    if code in CONVERSATION_CODES:
        who = _who_text(p)
        chans = _channels_text(list(p.get("channels", [])))
        if code == "no_slot":
            return f"no slot of {who} at all"
        if code == "no_slot_from":
            return f"no slot of {who} on or after {p['from']}"
        if code == "no_channel_slot":
            return f"no {chans} slot of {who} on or after {p['from']} (the citizen's channels)"
        if code == "no_long_slot":
            return (f"no {chans} slot of at least {p['minutes']} minutes of {who} "
                    f"on or after {p['from']}")
        parts = []
        if p["taken"]:
            parts.append(f"{p['taken']} are taken by other conversations")
        if p["day_limit"]:
            parts.append(f"{p['day_limit']} fall on days where the caseworker's max_per_day is "
                         "reached")
        detail = "; ".join(parts) if parts else "the rest"
        own = (f"; {p['own']} fall on days the citizen already has another conversation"
               if p["own"] else "")
        late = " (all after the deadline)" if p["after_deadline"] else ""
        return (f"all {p['slots']} {chans} slots of at least {p['minutes']} minutes of {who} "
                f"between {p['first']} and {p['last']}{late} are used: {detail}{own}; add "
                "capacity or free a slot")
    if code == "no_meeting":
        return f"no rehabilitation meeting on or after {p['first']}"
    if code == "no_meeting_material":
        return (f"no rehabilitation meeting on or after {p['first']} (material can be sent from "
                f"{p['material_from']}, lead time {p['lead_days']} days)")
    if code == "no_capacity":
        return (f"meetings from {p['first_meeting']} to {p['last_meeting']} have {p['places']} "
                f"places for {p['cases']} cases ({p['taken']} taken); add a meeting or places")
    if code == ERROR_CODE:
        return f"solver error: {p.get('error')}: {p.get('message')}"
    return str(p.get("text") or code)


def explain_conversations(ix: Index, placed: dict[int, int]) -> dict[int, Reason]:
    slot_used: Counter[int] = Counter(placed.values())
    cwday_used: Counter[tuple[int, int]] = Counter()
    cit_days: dict[int, set[int]] = defaultdict(set)
    for c, s in placed.items():
        cwday_used[(ix.slot_cw[s], ix.slot_day[s])] += 1
        cit_days[ix.conv_cit[c]].add(ix.slot_day[s])
    by_cw: dict[int, list[int]] = defaultdict(list)
    for s in range(len(ix.slot_ids)):
        by_cw[ix.slot_cw[s]].append(s)
    occupancy = (slot_used, cwday_used)
    cache: dict[tuple[int, ...], tuple[Reason, Counter[int] | None]] = {}
    out = {}
    for c in range(len(ix.conv_ids)):
        if c in placed:
            continue
        cit = ix.conv_cit[c]
        target = ix.cit_unit[cit] if ix.conv_unit_pool[c] else -1 - ix.cit_coord[cit]
        key = (target, max(ix.today, ix.conv_earliest[c]), ix.cit_mask[cit], ix.conv_min[c],
               ix.conv_deadline[c])
        if key not in cache:
            cache[key] = _conversation_reason(ix, c, by_cw, occupancy)
        reason, free_by_day = cache[key]
        if free_by_day is None:
            out[c] = reason
            continue
        own = sum(free_by_day[d] for d in cit_days.get(cit, ()))
        out[c] = Reason(reason.code, {**reason.params, "own": own})
    return out


def _conversation_reason(ix: Index, c: int, by_cw: dict[int, list[int]],
                         occupancy: tuple[Counter[int], Counter[tuple[int, int]]],
                         ) -> tuple[Reason, Counter[int] | None]:
    """The reason (`own` still 0) and the free slots per day, if any slot is eligible."""
    slot_used, cwday_used = occupancy
    cit = ix.conv_cit[c]
    who: dict[str, Any]
    if ix.conv_unit_pool[c]:
        unit = ix.cit_unit[cit]
        cws = ix.unit_members[unit]
        who = {"pool": "unit", "unit": ix.unit_ids[unit]}
    else:
        cws = [ix.cit_coord[cit]]
        who = {"pool": "caseworker", "caseworker": ix.cw_ids[cws[0]]}
    slots = [s for w in cws for s in by_cw.get(w, ())]
    if not slots:
        return Reason("no_slot", who), None
    start = max(ix.today, ix.conv_earliest[c])
    params = {**who, "from": ix.day(start).isoformat()}
    slots = [s for s in slots if ix.slot_day[s] >= start]
    if not slots:
        return Reason("no_slot_from", params), None
    mask = ix.cit_mask[cit]
    params["channels"] = _channel_names(mask)
    slots = [s for s in slots if mask >> ix.slot_ch[s] & 1]
    if not slots:
        return Reason("no_channel_slot", params), None
    minutes = ix.conv_min[c]
    params["minutes"] = minutes
    slots = [s for s in slots if ix.slot_min[s] >= minutes]
    if not slots:
        return Reason("no_long_slot", params), None
    first = ix.day(min(ix.slot_day[s] for s in slots))
    last = ix.day(max(ix.slot_day[s] for s in slots))
    full = day_limit = 0
    free_by_day: Counter[int] = Counter()
    for s in slots:
        w, d = ix.slot_cw[s], ix.slot_day[s]
        if slot_used[s] >= ix.slot_cap[s]:
            full += 1
        elif cwday_used[(w, d)] >= ix.cw_max[w]:
            day_limit += 1
        else:
            free_by_day[d] += 1
    del params["from"]
    params.update(slots=len(slots), first=first.isoformat(), last=last.isoformat(),
                  after_deadline=ix.day(ix.conv_deadline[c]) < first, taken=full,
                  day_limit=day_limit, own=0)
    return Reason("slots_used", params), free_by_day


def explain_rehab(problem: Problem, placed: dict[int, int]) -> dict[int, Reason]:
    meetings = problem.rehab_meetings
    used = Counter(placed.values())
    lead = problem.settings.rehab_lead_days
    firsts = {i: first_meeting_day(problem, i) for i in range(len(problem.rehab_cases))}
    out = {}
    for i, case in enumerate(problem.rehab_cases):
        if i in placed:
            continue
        first = firsts[i]
        eligible = [j for j, m in enumerate(meetings) if m.date.toordinal() >= first]
        first_text = problem.today.fromordinal(first).isoformat()
        if not eligible:
            if case.material_sent:
                out[i] = Reason("no_meeting", {"first": first_text})
            else:
                sent = problem.today.fromordinal(first - lead).isoformat()
                out[i] = Reason("no_meeting_material", {"first": first_text,
                                                        "material_from": sent,
                                                        "lead_days": lead})
            continue
        places = sum(meetings[j].capacity for j in eligible)
        lo = min(meetings[j].date for j in eligible)
        hi = max(meetings[j].date for j in eligible)
        days = {meetings[j].date for j in eligible}
        competing = sum(1 for k in firsts if firsts[k] <= hi.toordinal() and
                        any(d.toordinal() >= firsts[k] for d in days))
        taken = sum(used[j] for j in eligible)
        out[i] = Reason("no_capacity", {"first_meeting": lo.isoformat(),
                                        "last_meeting": hi.isoformat(), "places": places,
                                        "cases": competing, "taken": taken})
    return out
