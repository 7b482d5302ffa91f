"""The caseworker side of the network: which slot groups a conversation can use, and the
capacities of slots and caseworker-days.

    ... -> unit-day-type -> caseworker-day-type -> group (cap = free places)
        -> caseworker-day (cap = max_per_day) -> sink

A *type* is a citizen's channel mask and a conversation's length. One method per rule:

* `fits` — rules 2 and 3: the group's channel is one of the citizen's, its slots long enough;
* `type_node` — rule 4, pool `caseworker`: the fitting groups of one caseworker-day;
* `unit_node` — rule 4, pool `unit`: the type nodes of every caseworker of the unit that day;
* `group_node` — rule 5: a group's capacity is its free places (arcs made by `type_node`);
* `caseworker_days` — rule 6: a caseworker-day takes at most `max_per_day`, with a convex
  cost per conversation (tier 5: spread the load).
"""

from __future__ import annotations

import bisect

from ..model import Index
from .costs import SPREAD_STEPS
from .graph import K_CWDAY, K_GROUP, K_TYPE, K_UNIT, SINK, Graph
from .groups import Groups

UNIT_CAP = 1 << 30


class CaseworkerSide:
    def __init__(self, ix: Index, groups: Groups, graph: Graph) -> None:
        self.ix, self.g, self.graph = ix, groups, graph
        self._usable: dict[tuple[int, int, int], list[int]] = {}
        self.group_nodes: dict[int, int] = {}  # group -> its node, for the groups in use
        self._unit_usable: dict[tuple[int, int, int], list[int]] = {}

    def fits(self, gid: int, mask: int, minutes: int) -> bool:
        _, _, ch, sm = self.g.key[gid]
        return bool(mask >> ch & 1) and sm >= minutes

    def usable_days(self, w: int, mask: int, minutes: int) -> list[int]:
        """Days on which caseworker w has a free group that fits the type (sorted)."""
        key = (w, mask, minutes)
        days = self._usable.get(key)
        if days is None:
            days = sorted(d for d in self.g.by_cw.get(w, ())
                          if any(self.fits(g, mask, minutes) for g in self.g.by_cwday[(w, d)]))
            self._usable[key] = days
        return days

    def unit_days(self, u: int, mask: int, minutes: int) -> list[int]:
        """Days on which some caseworker of unit u has a free group that fits (sorted)."""
        key = (u, mask, minutes)
        days = self._unit_usable.get(key)
        if days is None:
            merged: set[int] = set()
            for w in self.ix.unit_members[u]:
                merged.update(self.usable_days(w, mask, minutes))
            days = self._unit_usable[key] = sorted(merged)
        return days

    @staticmethod
    def has_day(days: list[int], d: int) -> bool:
        i = bisect.bisect_left(days, d)
        return i < len(days) and days[i] == d

    def type_node(self, w: int, d: int, mask: int, minutes: int) -> int:
        key = ("T", w, d, mask, minutes)
        n = self.graph.node_of.get(key)
        if n is None:
            n = self.graph.node(key, K_TYPE)
            for gid in self.g.by_cwday[(w, d)]:
                if self.fits(gid, mask, minutes):
                    self.graph.arc(n, self.group_node(gid), self.g.cap[gid])
        return n

    def unit_node(self, u: int, d: int, mask: int, minutes: int) -> int:
        key = ("U", u, d, mask, minutes)
        n = self.graph.node_of.get(key)
        if n is None:
            n = self.graph.node(key, K_UNIT)
            for w in self.ix.unit_members[u]:
                if self.has_day(self.usable_days(w, mask, minutes), d):
                    self.graph.arc(n, self.type_node(w, d, mask, minutes), UNIT_CAP)
        return n

    def group_node(self, gid: int) -> int:
        n = self.group_nodes.get(gid)
        if n is None:
            n = self.group_nodes[gid] = self.graph.node(("G", gid), K_GROUP)
        return n

    def caseworker_days(self, cws: list[int], mode: str) -> None:
        """Groups in use -> their caseworker-day -> sink, for every day of the caseworkers."""
        graph, g = self.graph, self.g
        for w, d in [(cw, day) for cw in cws for day in g.by_cw.get(cw, ())]:
            gids = g.by_cwday[(w, d)]
            cd = graph.node(("CD", w, d), K_CWDAY)
            left = min(g.cwday_left[(w, d)], sum(g.cap[x] for x in gids))
            for gid in gids:
                n = self.group_nodes.get(gid)
                if n is not None:
                    graph.arc(n, cd, g.cap[gid])
            if mode == "bound":
                graph.arc(cd, SINK, left)
                continue
            for k in range(1, min(left, SPREAD_STEPS) + 1):
                cap = 1 if k < SPREAD_STEPS else left - SPREAD_STEPS + 1
                graph.arc(cd, SINK, cap, 0, -k)
