"""The network part of the allocation, solved exactly with min-cost flow.

Slots of one caseworker, date, channel and length form a *group*; they are interchangeable
for every hard rule, so the network works on groups:

    source -> conversation -> [citizen-day-type (cap 1)] -> unit-day-type -> caseworker-day-type
           -> group (cap = free places) -> caseworker-day (cap = max_per_day) -> sink

A conversation's arcs are its usable dates, so rules 1-4 are encoded in which arcs exist and
rules 5-6 in capacities. Rule 7 (one conversation per citizen and date) is exact between
conversations of the same length and pool (they share a citizen-day-type node of capacity 1);
between different types it is relaxed, which keeps the network a valid relaxation: every
valid plan is a flow of the same value. `allocate` repairs the few crossings that remain.
"""

from __future__ import annotations

import bisect
import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from .model import Index

SPREAD_STEPS = 16  # convex cost k for the k-th conversation of a caseworker-day (capped)
F_NONCOORD = 8  # tier 5: a unit colleague instead of the coordinating caseworker
E_KEEP = 32  # tier 4: an unlocked booking stays in its slot
D_ROBUST = 64  # tier 3: per tenth of no-show risk, if a rebooking still fits before deadline
C_LATE = 1024  # tier 2: per day late
COST_BUDGET = 1 << 61

# node kinds, in processing order for decoding
K_SRC, K_CONV, K_XIN, K_XOUT, K_UNIT, K_TYPE, K_GROUP, K_CWDAY, K_SNK = range(9)


@dataclass
class Groups:
    key: list[tuple[int, int, int, int]]  # (caseworker, day, channel, minutes)
    cap: list[int]
    slots: list[list[int]]
    by_cwday: dict[tuple[int, int], list[int]]
    cwday_left: dict[tuple[int, int], int]
    by_cw: dict[int, list[int]]  # caseworker -> days with a free group


def build_groups(ix: Index) -> Groups:
    pos: dict[tuple[int, int, int, int], int] = {}
    g = Groups([], [], [], defaultdict(list), {}, defaultdict(list))
    order = sorted(range(len(ix.slot_ids)), key=lambda s: ix.problem.slots[s].start)
    for s in order:
        d = ix.slot_day[s]
        if d < ix.today or ix.slot_left[s] <= 0:
            continue
        w = ix.slot_cw[s]
        left = ix.cwday_left.get((w, d), ix.cw_max[w])
        if left <= 0:
            continue
        key = (w, d, ix.slot_ch[s], ix.slot_min[s])
        gid = pos.get(key)
        if gid is None:
            gid = pos[key] = len(g.key)
            g.key.append(key)
            g.cap.append(0)
            g.slots.append([])
            if (w, d) not in g.cwday_left:
                g.by_cw[w].append(d)
            g.by_cwday[(w, d)].append(gid)
            g.cwday_left[(w, d)] = left
        g.cap[gid] += ix.slot_left[s]
        g.slots[gid].append(s)
    return g


@dataclass
class Component:
    """Conversations and caseworkers that share no capacity with any other component."""

    convs: list[int]
    cws: list[int]


def components(ix: Index) -> list[Component]:
    """Split the free conversations by the caseworkers they can reach (union-find)."""
    parent = list(range(len(ix.cw_ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    free = ix.free_conversations()
    for c in free:
        cit = ix.conv_cit[c]
        root = find(ix.cit_coord[cit])
        if ix.conv_unit_pool[c]:
            for w in ix.unit_members[ix.cit_unit[cit]]:
                other = find(w)
                if other != root:
                    parent[other] = root
    by_root: dict[int, Component] = {}
    for w in range(len(ix.cw_ids)):
        by_root.setdefault(find(w), Component([], [])).cws.append(w)
    for c in free:
        by_root[find(ix.cit_coord[ix.conv_cit[c]])].convs.append(c)
    return [p for p in by_root.values() if p.convs]


class Network:
    """One min-cost-flow network; `mode` is "plan" (all tiers, late dates) or "bound"."""

    def __init__(self, ix: Index, groups: Groups, mode: str, part: Component,
                 forbidden: set[tuple[int, int]] | None = None,
                 penalties: dict[tuple[int, int], int] | None = None,
                 sticky: dict[int, int] | None = None) -> None:
        self.ix, self.g, self.mode, self.part = ix, groups, mode, part
        self.forbidden = forbidden or set()
        self.penalties = penalties or {}
        self.sticky = sticky or {}
        self.pen_arcs: dict[int, int] = {}  # arc -> penalty units (repair of crossings)
        self.stick_arcs: list[int] = []
        self.kind: list[int] = [K_SRC, K_SNK]
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[int] = []
        self.wpart: list[int] = []  # on-time weight (scaled) carried by the arc
        self.lower: list[int] = []  # value of the lower tiers (plan mode)
        self.node_of: dict[tuple, int] = {}
        self.conv_node: dict[int, int] = {}
        self._usable: dict[tuple[int, int, int], list[int]] = {}
        self._unit_usable: dict[tuple[int, int, int], list[int]] = {}
        horizon = max((k[1] for k in groups.key), default=ix.today)
        self.b_place = C_LATE * (max(0, horizon - min(ix.conv_deadline, default=horizon)) + 2)
        self.conv_arcs = 0
        t0 = time.perf_counter()
        self._build()
        self.build_s = time.perf_counter() - t0
        self.solve_s = 0.0

    # -- nodes and arcs ------------------------------------------------------------------
    def _node(self, key: tuple, kind: int) -> int:
        n = self.node_of.get(key)
        if n is None:
            n = self.node_of[key] = len(self.kind)
            self.kind.append(kind)
        return n

    def _arc(self, tail: int, head: int, cap: int, wpart: int = 0, lower: int = 0) -> int:
        self.tails.append(tail)
        self.heads.append(head)
        self.caps.append(cap)
        self.wpart.append(wpart)
        self.lower.append(lower)
        return len(self.tails) - 1

    def usable_days(self, w: int, mask: int, minutes: int) -> list[int]:
        key = (w, mask, minutes)
        days = self._usable.get(key)
        if days is None:
            days = sorted(d for d in self.g.by_cw.get(w, ())
                          if any(self._fits(g, mask, minutes) for g in self.g.by_cwday[(w, d)]))
            self._usable[key] = days
        return days

    def unit_days(self, u: int, mask: int, minutes: int) -> list[int]:
        key = (u, mask, minutes)
        days = self._unit_usable.get(key)
        if days is None:
            merged: set[int] = set()
            for w in self.ix.unit_members[u]:
                merged.update(self.usable_days(w, mask, minutes))
            days = self._unit_usable[key] = sorted(merged)
        return days

    def _fits(self, gid: int, mask: int, minutes: int) -> bool:
        _, _, ch, sm = self.g.key[gid]
        return bool(mask >> ch & 1) and sm >= minutes

    def type_node(self, w: int, d: int, mask: int, minutes: int) -> int:
        key = ("T", w, d, mask, minutes)
        n = self.node_of.get(key)
        if n is None:
            n = self._node(key, K_TYPE)
            for gid in self.g.by_cwday[(w, d)]:
                if self._fits(gid, mask, minutes):
                    self._arc(n, self.group_node(gid), self.g.cap[gid])
        return n

    def unit_node(self, u: int, d: int, mask: int, minutes: int) -> int:
        key = ("U", u, d, mask, minutes)
        n = self.node_of.get(key)
        if n is None:
            n = self._node(key, K_UNIT)
            for w in self.ix.unit_members[u]:
                days = self.usable_days(w, mask, minutes)
                i = bisect.bisect_left(days, d)
                if i < len(days) and days[i] == d:
                    self._arc(n, self.type_node(w, d, mask, minutes), 1 << 30)
        return n

    def group_node(self, gid: int) -> int:
        return self._node(("G", gid), K_GROUP)

    def _build(self) -> None:
        ix = self.ix
        free = self.part.convs
        same_type: dict[tuple[int, int, bool], int] = defaultdict(int)
        for c in free:
            same_type[(ix.conv_cit[c], ix.conv_min[c], ix.conv_unit_pool[c])] += 1
        for c in free:
            cit = ix.conv_cit[c]
            shared = same_type[(cit, ix.conv_min[c], ix.conv_unit_pool[c])] > 1
            self._conversation(c, shared)
        for w, d in [(cw, day) for cw in self.part.cws for day in self.g.by_cw.get(cw, ())]:
            gids = self.g.by_cwday[(w, d)]
            cd = self._node(("CD", w, d), K_CWDAY)
            left = min(self.g.cwday_left[(w, d)], sum(self.g.cap[g] for g in gids))
            for gid in gids:
                if ("G", gid) in self.node_of:
                    self._arc(self.group_node(gid), cd, self.g.cap[gid])
            if self.mode == "bound":
                self._arc(cd, 1, left)
                continue
            for k in range(1, min(left, SPREAD_STEPS) + 1):
                cap = 1 if k < SPREAD_STEPS else left - SPREAD_STEPS + 1
                self._arc(cd, 1, cap, 0, -k)
        self.bypass = self._arc(0, 1, len(free))
        self.n_free = len(free)

    def value(self, c: int, d: int) -> tuple[int, int]:
        """(on-time weight, lower-tier value) of conversation c placed on day d."""
        ix = self.ix
        dl = ix.conv_deadline[c]
        on_time = d <= dl
        if self.mode == "bound":
            return (ix.conv_wint[c] if on_time else 0), 0
        lower = self.b_place - C_LATE * max(0, d - dl)
        if d + ix.rebook_days <= dl:
            lower += D_ROBUST * round(10 * (1.0 - ix.cit_prob[ix.conv_cit[c]]))
        return (ix.conv_wint[c] if on_time else 0), lower

    def _conversation(self, c: int, shared: bool) -> None:
        ix = self.ix
        cit = ix.conv_cit[c]
        mask, m, coord = ix.cit_mask[cit], ix.conv_min[c], ix.cit_coord[cit]
        unit_pool = ix.conv_unit_pool[c]
        start = max(ix.today, ix.conv_earliest[c])
        end = ix.conv_deadline[c] if self.mode == "bound" else 1 << 40
        coord_ok = not unit_pool or ix.cw_unit[coord] == ix.cit_unit[cit]
        coord_days = self.usable_days(coord, mask, m) if coord_ok else []
        days = self.unit_days(ix.cit_unit[cit], mask, m) if unit_pool else coord_days
        cn = self._node(("C", c), K_CONV)
        self.conv_node[c] = cn
        self._arc(0, cn, 1)
        for d in days[bisect.bisect_left(days, start):bisect.bisect_right(days, end)]:
            if (cit, d) in ix.citday_taken or (c, d) in self.forbidden:
                continue
            wpart, lower = self.value(c, d)
            if shared:
                xin = self._node(("XI", cit, d, m, unit_pool), K_XIN)
                xout = self.node_of.get(("XO", cit, d, m, unit_pool))
                arcs = [self._arc(cn, xin, 1, wpart, lower)]
                if xout is None:
                    xout = self._node(("XO", cit, d, m, unit_pool), K_XOUT)
                    self._arc(xin, xout, 1)
                    self._targets(xout, cit, d, mask, m, unit_pool, coord_days, 0, 0)
            else:
                arcs = self._targets(cn, cit, d, mask, m, unit_pool, coord_days, wpart, lower)
            self._mark(c, d, arcs)
        if self.mode == "plan" and c in ix.booking:
            self._booking_arc(c, cn)

    def _targets(self, tail: int, cit: int, d: int, mask: int, m: int, unit_pool: bool,
                 coord_days: list[int], wpart: int, lower: int) -> list[int]:
        """Arcs from a conversation (or citizen-day node) into the caseworker side."""
        i = bisect.bisect_left(coord_days, d)
        arcs = []
        if i < len(coord_days) and coord_days[i] == d:
            arcs.append(self._arc(tail, self.type_node(self.ix.cit_coord[cit], d, mask, m), 1,
                                  wpart, lower))
        if unit_pool:
            u = self.ix.cit_unit[cit]
            arcs.append(self._arc(tail, self.unit_node(u, d, mask, m), 1, wpart,
                                  lower - F_NONCOORD))
        return arcs

    def _booking_arc(self, c: int, cn: int) -> None:
        ix = self.ix
        s, _ = ix.booking[c]
        d = ix.slot_day[s]
        if ((ix.conv_cit[c], d) in ix.citday_taken or (c, d) in self.forbidden
                or not ix.eligible_slot(c, s) or ix.slot_left[s] <= 0):
            return
        key = (ix.slot_cw[s], d, ix.slot_ch[s], ix.slot_min[s])
        gid = next((g for g in self.g.by_cwday.get(key[:2], []) if self.g.key[g] == key), None)
        if gid is None:
            return
        wpart, lower = self.value(c, d)
        if ix.slot_cw[s] != ix.cit_coord[ix.conv_cit[c]]:
            lower -= F_NONCOORD
        a = self._arc(cn, self.group_node(gid), 1, wpart, lower + E_KEEP)
        self._mark(c, d, [a])

    def _mark(self, c: int, d: int, arcs: list[int]) -> None:
        """Record repair penalties and stickiness for the arcs of conversation c on day d."""
        self.conv_arcs += len(arcs)
        units = self.penalties.get((c, d), 0)
        stick = self.sticky.get(c) == d
        for a in arcs:
            if units:
                self.pen_arcs[a] = units
            if stick:
                self.stick_arcs.append(a)

    # -- solving -------------------------------------------------------------------------
    def costs(self) -> np.ndarray:
        wpart = np.asarray(self.wpart, dtype=np.int64)
        lower = np.asarray(self.lower, dtype=np.int64)
        if self.mode == "bound":
            return -wpart
        top = int(np.abs(lower).max(initial=1))
        wmax = int(wpart.max(initial=1)) or 1
        budget = COST_BUDGET // (len(self.kind) + 1) // 4
        a = max(top * 2, min(top * 1_000_000, (budget - top) // wmax))
        self.a_scale = a
        cost = -(wpart * a + lower * 2)
        if self.stick_arcs:
            cost[np.asarray(self.stick_arcs, dtype=np.int64)] -= 1
        for arc, units in self.pen_arcs.items():
            cost[arc] += units * (a // 2)
        return cost

    def solve(self) -> tuple[np.ndarray, int]:
        """Solve; returns (flow per arc, on-time weight in scaled units)."""
        t0 = time.perf_counter()
        mcf = min_cost_flow.SimpleMinCostFlow()
        tails = np.asarray(self.tails, dtype=np.int32)
        heads = np.asarray(self.heads, dtype=np.int32)
        caps = np.asarray(self.caps, dtype=np.int64)
        mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, self.costs())
        supplies = np.zeros(len(self.kind), dtype=np.int64)
        supplies[0], supplies[1] = self.n_free, -self.n_free
        mcf.set_nodes_supplies(np.arange(len(self.kind), dtype=np.int32), supplies)
        status = mcf.solve()
        if status != mcf.OPTIMAL:
            raise RuntimeError(f"min cost flow failed with status {status}")
        flows = mcf.flows(np.arange(len(self.tails), dtype=np.int32))
        weight = int(np.dot(flows, np.asarray(self.wpart, dtype=np.int64)))
        self.solve_s += time.perf_counter() - t0
        return flows, weight

    def max_count(self) -> int:
        """Most conversations that fit on time (bound mode): plain max flow."""
        mf = max_flow.SimpleMaxFlow()
        keep = [i for i in range(len(self.tails)) if i != self.bypass]
        idx = np.asarray(keep, dtype=np.int64)
        mf.add_arcs_with_capacity(np.asarray(self.tails, dtype=np.int32)[idx],
                                  np.asarray(self.heads, dtype=np.int32)[idx],
                                  np.asarray(self.caps, dtype=np.int64)[idx])
        if mf.solve(0, 1) != mf.OPTIMAL:
            raise RuntimeError("max flow failed")
        return int(mf.optimal_flow())

    def decode(self, flows: np.ndarray) -> dict[int, int]:
        """Turn group flows into concrete slots: conversation -> slot."""
        order = np.nonzero(flows)[0]
        kinds = np.asarray(self.kind, dtype=np.int8)
        tails = np.asarray(self.tails, dtype=np.int64)[order]
        order = order[np.argsort(kinds[tails], kind="stable")]
        tokens: dict[int, list[int]] = defaultdict(list)
        for c, n in self.conv_node.items():
            tokens[n].append(c)
        for a in order.tolist():
            t, h = self.tails[a], self.heads[a]
            if self.kind[t] in (K_SRC, K_GROUP, K_CWDAY):
                continue
            take = int(flows[a])
            src = tokens[t]
            moved, tokens[t] = src[:take], src[take:]
            tokens[h].extend(moved)
        placed: dict[int, int] = {}
        for gid in range(len(self.g.key)):
            convs = tokens.get(self.node_of.get(("G", gid), -1))
            if convs:
                placed.update(assign_slots(self.ix, self.g.slots[gid], convs))
        return placed


def assign_slots(ix: Index, slots: list[int], convs: list[int]) -> dict[int, int]:
    """Interchangeable slots of one group: keep existing bookings, then fill in time order."""
    left = {s: ix.slot_left[s] for s in slots}
    out: dict[int, int] = {}
    rest = []
    for c in convs:
        booked = ix.booking.get(c)
        if booked and booked[0] in left and left[booked[0]] > 0:
            out[c] = booked[0]
            left[booked[0]] -= 1
        else:
            rest.append(c)
    it = iter(slots)
    s = next(it, None)
    for c in rest:
        while s is not None and left[s] <= 0:
            s = next(it, None)
        if s is None:
            raise RuntimeError("group over capacity in decode")
        out[c] = s
        left[s] -= 1
    return out
