"""Conversation allocation: bound flow, plan flow, repair of rule-7 crossings, greedy fill."""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .flow import Component, Groups, Network, build_groups, components
from .model import Index


@dataclass
class ConversationPlan:
    placed: dict[int, int]  # conversation -> slot (locked ones included)
    bound_weight: int  # scaled on-time weight bound, locked bookings included
    bound_count: int
    stats: dict[str, float] = field(default_factory=dict)


def on_time_weight(ix: Index, placed: dict[int, int]) -> int:
    return sum(ix.conv_wint[c] for c, s in placed.items()
               if ix.slot_day[s] <= ix.conv_deadline[c])


def conversation_bound(ix: Index, groups: Groups | None = None,
                       parts: list[Component] | None = None) -> tuple[int, int]:
    """Proven upper bounds (scaled weight, count) on on-time conversations."""
    groups = groups or build_groups(ix)
    weight, count = _locked_on_time(ix)
    for part in parts if parts is not None else components(ix):
        net = Network(ix, groups, "bound", part)
        weight += net.solve()[1]
        count += net.max_count()
    return weight, count


def allocate_conversations(ix: Index, time_limit_s: float, max_rounds: int = 12,
                           num_workers: int = 1, bounds: bool = True) -> ConversationPlan:
    """Bound and plan per independent component; components run in `num_workers` processes.
    Without `bounds` only the plan (the bounds are then those of the locked bookings)."""
    t0 = time.perf_counter()
    groups = build_groups(ix)
    parts = sorted(components(ix), key=lambda p: -len(p.convs))  # slowest first
    stats: dict[str, float] = {"components": len(parts), "flow_rounds": 0, "network_arcs": 0,
                               "candidate_pairs": 0, "penalised": 0, "forbidden": 0,
                               "build_seconds": 0.0, "flow_seconds": 0.0, "dropped": 0}
    deadline = t0 + time_limit_s
    jobs = range(len(parts))
    workers = min(num_workers, len(parts))
    _SHARED.update(ix=ix, groups=groups, parts=parts, deadline=deadline, rounds=max_rounds,
                   bounds=bounds)
    try:
        if workers > 1 and "fork" in mp.get_all_start_methods():
            with mp.get_context("fork").Pool(workers) as pool:
                results = pool.map(_component_job, jobs, chunksize=1)
        else:
            results = [_component_job(i) for i in jobs]
    finally:
        _SHARED.clear()
    placed: dict[int, int] = {}
    bound_weight, bound_count = _locked_on_time(ix)
    for part_bound, part_count, part_placed, part_stats in results:
        bound_weight += part_bound
        bound_count += part_count
        placed.update(part_placed)
        for key, value in part_stats.items():
            stats[key] = max(stats[key], value) if key == "flow_rounds" else stats[key] + value
    placed.update(ix.locked_slot)
    if stats.get("dropped"):
        # only conversations dropped by the crossing repair can still fit anywhere: the flow
        # placed every other conversation that had a free eligible place
        _greedy_fill(ix, placed)
    return ConversationPlan(placed, bound_weight, bound_count, stats)


_SHARED: dict[str, Any] = {}


def _component_job(i: int) -> tuple[int, int, dict[int, int], dict[str, float]]:
    ix, groups, part = _SHARED["ix"], _SHARED["groups"], _SHARED["parts"][i]
    stats: dict[str, float] = defaultdict(float)
    bound = count = 0
    if _SHARED["bounds"]:
        net = Network(ix, groups, "bound", part)
        bound = net.solve()[1]
        count = net.max_count()
        stats["build_seconds"] += net.build_s
        stats["flow_seconds"] += net.solve_s
    left = _SHARED["deadline"] - time.perf_counter()
    placed = _plan_component(ix, groups, part, left, _SHARED["rounds"], stats)
    return bound, count, placed, dict(stats)


def _locked_on_time(ix: Index) -> tuple[int, int]:
    on_time = [c for c, s in ix.locked_slot.items() if ix.slot_day[s] <= ix.conv_deadline[c]]
    return sum(ix.conv_wint[c] for c in on_time), len(on_time)


def _plan_component(ix: Index, groups: Groups, part: Component, time_left: float,
                    max_rounds: int, stats: dict[str, float]) -> dict[int, int]:
    """Plan flow, then repair rule-7 crossings between conversation types by re-solving."""
    t0 = time.perf_counter()
    forbidden: set[tuple[int, int]] = set()
    penalties: dict[tuple[int, int], int] = defaultdict(int)
    seen: dict[tuple[int, ...], int] = defaultdict(int)
    sticky: dict[int, int] = {}
    rounds = 0
    while True:
        rounds += 1
        t_round = time.perf_counter()
        net = Network(ix, groups, "plan", part, forbidden, penalties, sticky)
        flows, _ = net.solve()
        placed = net.decode(flows)
        stats["build_seconds"] += net.build_s
        stats["flow_seconds"] += net.solve_s
        if rounds == 1:
            stats["network_arcs"] += len(net.tails)
            stats["candidate_pairs"] += net.conv_arcs
        crossings = _crossings(ix, placed)
        if not crossings:
            break
        round_s = time.perf_counter() - t_round
        if rounds >= max_rounds or time.perf_counter() - t0 + round_s > time_left:
            for extra in crossings.values():
                for c in extra[1:]:
                    del placed[c]
                    stats["dropped"] += 1
            break
        sticky = {c: ix.slot_day[s] for c, s in placed.items()}
        for (_, d), convs in crossings.items():
            key = (d, *sorted(convs))
            seen[key] += 1
            # first ask the flow to move the less urgent ones at no on-time cost; if the
            # crossing persists, let it choose which one moves; then forbid.
            for c in convs[1:] if seen[key] == 1 else convs:
                penalties[(c, d)] += 1
            if seen[key] >= 3:
                forbidden.update((c, d) for c in convs[1:])
    stats["flow_rounds"] = rounds
    stats["penalised"] += len(penalties)
    stats["forbidden"] += len(forbidden)
    return placed


def _crossings(ix: Index, placed: dict[int, int]) -> dict[tuple[int, int], list[int]]:
    """Citizen-days holding more than one conversation, best one to keep first."""
    by_day: dict[tuple[int, int], list[int]] = defaultdict(list)
    for c, s in placed.items():
        by_day[(ix.conv_cit[c], ix.slot_day[s])].append(c)
    out = {}
    for key, convs in by_day.items():
        if len(convs) > 1:
            d = key[1]
            convs.sort(key=lambda c: (-(ix.conv_wint[c] if d <= ix.conv_deadline[c] else 0),
                                      ix.conv_deadline[c]))
            out[key] = convs
    return out


def _greedy_fill(ix: Index, placed: dict[int, int]) -> None:
    """Place what is still unplaced into remaining capacity, earliest day first."""
    missing = [c for c in range(len(ix.conv_ids)) if c not in placed]
    if not missing:
        return
    slot_used: dict[int, int] = defaultdict(int)
    cwday_used: dict[tuple[int, int], int] = defaultdict(int)
    citday: set[tuple[int, int]] = set()
    for c, s in placed.items():
        slot_used[s] += 1
        cwday_used[(ix.slot_cw[s], ix.slot_day[s])] += 1
        citday.add((ix.conv_cit[c], ix.slot_day[s]))
    free_slots = sorted((s for s in range(len(ix.slot_ids)) if slot_used[s] < ix.slot_cap[s]),
                        key=lambda s: ix.problem.slots[s].start)
    missing.sort(key=lambda c: ix.conv_deadline[c])
    for c in missing:
        cit = ix.conv_cit[c]
        for s in free_slots:
            w, d = ix.slot_cw[s], ix.slot_day[s]
            if (slot_used[s] < ix.slot_cap[s] and cwday_used[(w, d)] < ix.cw_max[w]
                    and (cit, d) not in citday and ix.eligible_slot(c, s)):
                placed[c] = s
                slot_used[s] += 1
                cwday_used[(w, d)] += 1
                citday.add((cit, d))
                break
