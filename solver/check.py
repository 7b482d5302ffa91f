"""Independent validator of a solution against the hard rules of `plan-format.md`.

Written from the contract alone: it shares no placement logic with the allocation modules
(only the typed problem data), so a bug in the model cannot hide itself here.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .problem import Problem
from .solution import Solution


def check(problem: Problem, solution: Solution) -> list[str]:
    """Every broken hard rule, one line each; empty when the solution is valid."""
    broken: list[str] = []
    broken += _conversations(problem, solution)
    broken += _rehab(problem, solution)
    broken += _listing(problem, solution)
    return broken


def _conversations(problem: Problem, solution: Solution) -> list[str]:
    out: list[str] = []
    caseworkers = {w.id: w for w in problem.caseworkers}
    citizens = {c.id: c for c in problem.citizens}
    slots = {s.id: s for s in problem.slots}
    conversations = {c.id: c for c in problem.conversations}
    locked = {b.conversation: b.slot for b in problem.bookings if b.locked}
    seen: dict[str, str] = {}
    per_slot: dict[str, list[str]] = defaultdict(list)
    per_cw_day: dict[tuple[str, object], list[str]] = defaultdict(list)
    per_cit_day: dict[tuple[str, object], list[str]] = defaultdict(list)
    for conv_id, slot_id in solution.conversations:
        conv = conversations.get(conv_id)
        slot = slots.get(slot_id)
        if conv is None:
            out.append(f"unknown conversation {conv_id!r}")
            continue
        if slot is None:
            out.append(f"{conv_id}: unknown slot {slot_id!r}")
            continue
        if conv_id in seen:
            out.append(f"rule 8: {conv_id} is placed twice ({seen[conv_id]} and {slot_id})")
            continue
        seen[conv_id] = slot_id
        citizen = citizens[conv.citizen]
        worker = caseworkers[slot.caseworker]
        per_slot[slot_id].append(conv_id)
        per_cw_day[(worker.id, slot.date)].append(conv_id)
        per_cit_day[(citizen.id, slot.date)].append(conv_id)
        if locked.get(conv_id) == slot_id:
            continue  # a locked booking is a given: rules 1-4 are not the solver's to judge
        where = f"{conv_id} in {slot_id}"
        if slot.date < problem.today:
            out.append(f"rule 1: {where}: date {slot.date} is before today {problem.today}")
        if slot.date < conv.earliest:
            out.append(f"rule 1: {where}: date {slot.date} is before earliest {conv.earliest}")
        if slot.channel not in citizen.channels:
            out.append(f"rule 2: {where}: channel {slot.channel} is not one of the citizen's "
                       f"channels {sorted(citizen.channels)}")
        if slot.minutes < conv.minutes:
            out.append(f"rule 3: {where}: {slot.minutes} minutes < {conv.minutes} needed")
        if conv.pool == "caseworker" and worker.id != citizen.caseworker:
            out.append(f"rule 4: {where}: slot of {worker.id}, not of the coordinating "
                       f"caseworker {citizen.caseworker}")
        if conv.pool == "unit" and worker.unit != citizen.unit:
            out.append(f"rule 4: {where}: caseworker {worker.id} is in unit {worker.unit}, "
                       f"not in the citizen's unit {citizen.unit}")
    for slot_id, convs in per_slot.items():
        if len(convs) > slots[slot_id].capacity:
            out.append(f"rule 5: slot {slot_id} holds {len(convs)} conversations, capacity "
                       f"{slots[slot_id].capacity}: {', '.join(convs)}")
    for (cw_id, day), convs in per_cw_day.items():
        limit = caseworkers[cw_id].max_per_day
        if limit is not None and len(convs) > limit:
            out.append(f"rule 6: caseworker {cw_id} holds {len(convs)} conversations on {day}, "
                       f"max_per_day {limit}")
    for (cit_id, day), convs in per_cit_day.items():
        if len(convs) > 1:
            out.append(f"rule 7: citizen {cit_id} has {len(convs)} conversations on {day}: "
                       f"{', '.join(convs)}")
    for conv_id, slot_id in locked.items():
        if seen.get(conv_id) != slot_id:
            out.append(f"rule 8: locked booking {conv_id} in {slot_id} was not kept "
                       f"(got {seen.get(conv_id, 'no slot')})")
    return out


def _rehab(problem: Problem, solution: Solution) -> list[str]:
    out: list[str] = []
    meetings = {m.id: m for m in problem.rehab_meetings}
    cases = {c.id: c for c in problem.rehab_cases}
    lead = problem.settings.rehab_lead_days
    seen: set[str] = set()
    load: Counter[str] = Counter()
    for case_id, meeting_id in solution.rehab:
        case = cases.get(case_id)
        meeting = meetings.get(meeting_id)
        if case is None:
            out.append(f"unknown rehabilitation case {case_id!r}")
            continue
        if meeting is None:
            out.append(f"{case_id}: unknown meeting {meeting_id!r}")
            continue
        if case_id in seen:
            out.append(f"rehab: case {case_id} is placed twice")
            continue
        seen.add(case_id)
        load[meeting_id] += 1
        if meeting.date < problem.today:
            out.append(f"rehab: {case_id} at {meeting_id}: meeting {meeting.date} is before "
                       f"today {problem.today}")
        if not case.material_sent:
            send_from = max(case.ready, problem.today)
            if (meeting.date - send_from).days < lead:
                out.append(f"rehab: {case_id} at {meeting_id}: meeting {meeting.date} is less "
                           f"than {lead} days after {send_from} (ready/today), material not sent")
    for meeting_id, n in load.items():
        if n > meetings[meeting_id].capacity:
            out.append(f"rehab: meeting {meeting_id} takes {n} cases, capacity "
                       f"{meetings[meeting_id].capacity}")
    return out


def _listing(problem: Problem, solution: Solution) -> list[str]:
    """Every item is either placed or listed as unplanned with a reason, never both."""
    out: list[str] = []
    placed = {c for c, _ in solution.conversations} | {c for c, _ in solution.rehab}
    listed: dict[str, str] = {}
    for item_id, reason in solution.unplanned:
        if item_id in listed:
            out.append(f"unplanned: {item_id} is listed twice")
        listed[item_id] = reason
        if not reason.strip():
            out.append(f"unplanned: {item_id} has no reason")
        if item_id in placed:
            out.append(f"unplanned: {item_id} is placed and also listed as unplanned")
    for item_id in [c.id for c in problem.conversations] + [r.id for r in problem.rehab_cases]:
        if item_id not in placed and item_id not in listed:
            out.append(f"unplanned: {item_id} is neither placed nor listed as unplanned")
    return out
