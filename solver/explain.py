"""Reasons a planner can act on, for every conversation and case left unplanned.

Reasons are computed from the data: which hard rule removed every slot, or which capacity
was used up by whom.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .model import Index
from .problem import CHANNELS, Problem
from .rehab import first_meeting_day

_CHANNEL_TEXT = {"in_person": "in-person", "phone": "phone", "video": "video"}


def _channels_text(mask: int) -> str:
    names = [_CHANNEL_TEXT[ch] for i, ch in enumerate(CHANNELS) if mask >> i & 1]
    return " or ".join(names) if names else "any channel"


def explain_conversations(ix: Index, placed: dict[int, int]) -> dict[int, str]:
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
    cache: dict[tuple[int, ...], tuple[str, Counter[int] | None]] = {}
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
        text, free_by_day = cache[key]
        if free_by_day is None:
            out[c] = text
            continue
        own = sum(free_by_day[d] for d in cit_days.get(cit, ()))
        detail = text.replace("{own}", f"; {own} fall on days the citizen already has another "
                                       "conversation" if own else "")
        out[c] = detail
    return out


def _conversation_reason(ix: Index, c: int, by_cw: dict[int, list[int]],
                         occupancy: tuple[Counter[int], Counter[tuple[int, int]]],
                         ) -> tuple[str, Counter[int] | None]:
    """The reason text (with an `{own}` placeholder) and free slots per day, if any."""
    slot_used, cwday_used = occupancy
    cit = ix.conv_cit[c]
    if ix.conv_unit_pool[c]:
        unit = ix.cit_unit[cit]
        cws = ix.unit_members[unit]
        who = f"any caseworker of unit {ix.unit_ids[unit]}"
    else:
        cws = [ix.cit_coord[cit]]
        who = f"the coordinating caseworker {ix.cw_ids[cws[0]]}"
    slots = [s for w in cws for s in by_cw.get(w, ())]
    if not slots:
        return f"no slot of {who} at all", None
    start = max(ix.today, ix.conv_earliest[c])
    start_text = ix.day(start)
    slots = [s for s in slots if ix.slot_day[s] >= start]
    if not slots:
        return f"no slot of {who} on or after {start_text}", None
    mask = ix.cit_mask[cit]
    chans = _channels_text(mask)
    slots = [s for s in slots if mask >> ix.slot_ch[s] & 1]
    if not slots:
        return (f"no {chans} slot of {who} on or after {start_text} (the citizen's channels)",
                None)
    minutes = ix.conv_min[c]
    slots = [s for s in slots if ix.slot_min[s] >= minutes]
    if not slots:
        return (f"no {chans} slot of at least {minutes} minutes of {who} "
                f"on or after {start_text}", None)
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
    parts = []
    if full:
        parts.append(f"{full} are taken by other conversations")
    if day_limit:
        parts.append(f"{day_limit} fall on days where the caseworker's max_per_day is reached")
    detail = "; ".join(parts) if parts else "the rest"
    late = " (all after the deadline)" if ix.day(ix.conv_deadline[c]) < first else ""
    return (f"all {len(slots)} {chans} slots of at least {minutes} minutes of {who} between "
            f"{first} and {last}{late} are used: {detail}{{own}}; add capacity or free a slot",
            free_by_day)


def explain_rehab(problem: Problem, placed: dict[int, int]) -> dict[int, str]:
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
        first_text = problem.today.fromordinal(first)
        if not eligible:
            if case.material_sent:
                out[i] = f"no rehabilitation meeting on or after {first_text}"
            else:
                out[i] = (f"no rehabilitation meeting on or after {first_text} (material can be "
                          f"sent from {problem.today.fromordinal(first - lead)}, "
                          f"lead time {lead} days)")
            continue
        places = sum(meetings[j].capacity for j in eligible)
        lo = min(meetings[j].date for j in eligible)
        hi = max(meetings[j].date for j in eligible)
        days = {meetings[j].date for j in eligible}
        competing = sum(1 for k in firsts if firsts[k] <= hi.toordinal() and
                        any(d.toordinal() >= firsts[k] for d in days))
        taken = sum(used[j] for j in eligible)
        out[i] = (f"meetings from {lo} to {hi} have {places} places for {competing} cases "
                  f"({taken} taken); add a meeting or places")
    return out
