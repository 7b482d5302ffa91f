"""One min-cost-flow network of a component: built from its two sides, solved, decoded."""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from ..model import Index
from .caseworkers import CaseworkerSide
from .conversations import ConversationArcs
from .costs import Costs, Objective, arc_costs
from .graph import K_CWDAY, K_GROUP, K_SRC, SINK, SOURCE, Graph
from .groups import Component, Groups, assign_slots

Flows = np.ndarray  # flow per arc, as OR-Tools returns it


class Network:
    """One min-cost-flow network; `mode` is "plan" (all tiers, late dates) or "bound"."""

    def __init__(self, ix: Index, groups: Groups, mode: str, part: Component,
                 forbidden: set[tuple[int, int]] | None = None,
                 penalties: dict[tuple[int, int], int] | None = None,
                 sticky: dict[int, int] | None = None) -> None:
        self.ix, self.g, self.mode, self.part = ix, groups, mode, part
        self.graph = Graph()
        self.side = CaseworkerSide(ix, groups, self.graph)
        self.objective = Objective(ix, groups, mode)
        self.convs = ConversationArcs(ix, self.graph, self.side, self.objective, mode,
                                      forbidden or set(), penalties or {}, sticky or {})
        self.a_scale = 1
        t0 = time.perf_counter()
        self._build()
        self.build_s = time.perf_counter() - t0
        self.solve_s = 0.0

    @property
    def tails(self) -> list[int]:
        return self.graph.tails

    @property
    def conv_arcs(self) -> int:
        return self.convs.conv_arcs

    def _build(self) -> None:
        """Conversations first (they make the caseworker-side nodes they reach), then the
        caseworker-days, then a bypass arc source -> sink for whatever stays unplaced."""
        ix = self.ix
        free = self.part.convs
        same_type: dict[tuple[int, int, bool], int] = defaultdict(int)
        for c in free:
            same_type[(ix.conv_cit[c], ix.conv_min[c], ix.conv_unit_pool[c])] += 1
        for c in free:
            shared = same_type[(ix.conv_cit[c], ix.conv_min[c], ix.conv_unit_pool[c])] > 1
            self.convs.add(c, shared)
        self.side.caseworker_days(self.part.cws, self.mode)
        self.bypass = self.graph.arc(SOURCE, SINK, len(free))
        self.n_free = len(free)

    def costs(self) -> Costs:
        cost, self.a_scale = arc_costs(self.graph, self.mode, self.convs.stick_arcs,
                                       self.convs.pen_arcs)
        return cost

    def solve(self) -> tuple[Flows, int]:
        """Solve; returns (flow per arc, on-time weight in scaled units)."""
        t0 = time.perf_counter()
        graph = self.graph
        mcf = min_cost_flow.SimpleMinCostFlow()
        tails = np.asarray(graph.tails, dtype=np.int32)
        heads = np.asarray(graph.heads, dtype=np.int32)
        caps = np.asarray(graph.caps, dtype=np.int64)
        mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, self.costs())
        supplies = np.zeros(graph.n_nodes, dtype=np.int64)
        supplies[SOURCE], supplies[SINK] = self.n_free, -self.n_free
        mcf.set_nodes_supplies(np.arange(graph.n_nodes, dtype=np.int32), supplies)
        status = mcf.solve()
        if status != mcf.OPTIMAL:
            raise RuntimeError(f"min cost flow failed with status {status}")
        flows: Flows = mcf.flows(np.arange(graph.n_arcs, dtype=np.int32))
        weight = int(np.dot(flows, np.asarray(graph.wpart, dtype=np.int64)))
        self.solve_s += time.perf_counter() - t0
        return flows, weight

    def max_count(self) -> int:
        """Most conversations that fit on time (bound mode): plain max flow."""
        graph = self.graph
        mf = max_flow.SimpleMaxFlow()
        keep = [i for i in range(graph.n_arcs) if i != self.bypass]
        idx = np.asarray(keep, dtype=np.int64)
        mf.add_arcs_with_capacity(np.asarray(graph.tails, dtype=np.int32)[idx],
                                  np.asarray(graph.heads, dtype=np.int32)[idx],
                                  np.asarray(graph.caps, dtype=np.int64)[idx])
        if mf.solve(SOURCE, SINK) != mf.OPTIMAL:
            raise RuntimeError("max flow failed")
        return int(mf.optimal_flow())

    def decode(self, flows: Flows) -> dict[int, int]:
        """Turn group flows into concrete slots: conversation -> slot.

        Conversations are tokens that travel along the arcs with flow, node kind by node kind
        (conversation, citizen-day, unit, type) until they reach a group; each group's tokens
        then get concrete slots (`assign_slots`)."""
        graph = self.graph
        order = np.nonzero(flows)[0]
        kinds = np.asarray(graph.kind, dtype=np.int8)
        tails = np.asarray(graph.tails, dtype=np.int64)[order]
        order = order[np.argsort(kinds[tails], kind="stable")]
        tokens: dict[int, list[int]] = defaultdict(list)
        for c, n in self.convs.conv_node.items():
            tokens[n].append(c)
        for a in order.tolist():
            t, h = graph.tails[a], graph.heads[a]
            if graph.kind[t] in (K_SRC, K_GROUP, K_CWDAY):
                continue
            take = int(flows[a])
            src = tokens[t]
            moved, tokens[t] = src[:take], src[take:]
            tokens[h].extend(moved)
        placed: dict[int, int] = {}
        for gid, node in sorted(self.side.group_nodes.items()):  # the groups in use, in order
            convs = tokens.get(node)
            if convs:
                placed.update(assign_slots(self.ix, self.g.slots[gid], convs))
        return placed
