"""The conversation side of the network: one node per free conversation and its arcs, day by
day, into the caseworker side.

    source -> conversation -> [citizen-day-type (cap 1)] -> caseworker side

One method per rule:

* `days` — rule 1: dates from max(today, earliest) on (to the deadline in bound mode), on
  which a fitting group exists (rules 2-4, `CaseworkerSide`);
* `open_day` — rule 7 against locked bookings (the citizen-day is taken) and the repair's
  forbidden days;
* `citizen_day` — rule 7 between conversations of the same citizen, length and pool: they
  share a citizen-day node of capacity 1 (between other types the rule is relaxed and
  `allocate` repairs crossings);
* `targets` — rule 4: the coordinating caseworker, or (pool `unit`) any unit colleague at
  tier-5 cost `F_NONCOORD`;
* `booking_arc` — tier 4: an arc straight into the group of the conversation's unlocked
  booking, worth `E_KEEP` more;
* `mark` — the repair's penalties (`penalties`) and stickiness (`sticky`) per arc.
"""

from __future__ import annotations

import bisect

from ..model import Index
from .caseworkers import CaseworkerSide
from .costs import E_KEEP, F_NONCOORD, Objective
from .graph import K_CONV, K_XIN, K_XOUT, SOURCE, Graph

OPEN_END = 1 << 40


class ConversationArcs:
    def __init__(self, ix: Index, graph: Graph, side: CaseworkerSide, objective: Objective,
                 mode: str, forbidden: set[tuple[int, int]], penalties: dict[tuple[int, int], int],
                 sticky: dict[int, int]) -> None:
        self.ix, self.graph, self.side, self.objective = ix, graph, side, objective
        self.mode = mode
        self.forbidden, self.penalties, self.sticky = forbidden, penalties, sticky
        self.conv_node: dict[int, int] = {}
        self.pen_arcs: dict[int, int] = {}  # arc -> penalty units (repair of crossings)
        self.stick_arcs: list[int] = []
        self.conv_arcs = 0

    def add(self, c: int, shared: bool) -> None:
        """Conversation c's node and arcs; `shared`: the citizen has another conversation of
        the same length and pool (they go through citizen-day nodes)."""
        ix, graph = self.ix, self.graph
        cit = ix.conv_cit[c]
        cn = graph.node(("C", c), K_CONV)
        self.conv_node[c] = cn
        graph.arc(SOURCE, cn, 1)
        coord_days, days = self.days(c)
        for d in days:
            if not self.open_day(c, d):
                continue
            wpart, lower = self.objective.value(c, d)
            if shared:
                arcs = self.citizen_day(cn, c, d, coord_days, wpart, lower)
            else:
                arcs = self.targets(cn, cit, d, ix.conv_min[c], ix.conv_unit_pool[c], coord_days,
                                    wpart, lower)
            self.mark(c, d, arcs)
        if self.mode == "plan" and c in ix.booking:
            self.booking_arc(c, cn)

    def days(self, c: int) -> tuple[list[int], list[int]]:
        """(days of the coordinating caseworker, days to make arcs for) of conversation c."""
        ix, side = self.ix, self.side
        cit = ix.conv_cit[c]
        mask, m, coord = ix.cit_mask[cit], ix.conv_min[c], ix.cit_coord[cit]
        unit_pool = ix.conv_unit_pool[c]
        start = max(ix.today, ix.conv_earliest[c])
        end = ix.conv_deadline[c] if self.mode == "bound" else OPEN_END
        coord_ok = not unit_pool or ix.cw_unit[coord] == ix.cit_unit[cit]
        coord_days = side.usable_days(coord, mask, m) if coord_ok else []
        days = side.unit_days(ix.cit_unit[cit], mask, m) if unit_pool else coord_days
        return coord_days, days[bisect.bisect_left(days, start):bisect.bisect_right(days, end)]

    def open_day(self, c: int, d: int) -> bool:
        return (self.ix.conv_cit[c], d) not in self.ix.citday_taken and (c, d) not in self.forbidden

    def citizen_day(self, cn: int, c: int, d: int, coord_days: list[int], wpart: int,
                    lower: int) -> list[int]:
        """conversation -> citizen-day-type (in) -> (out, cap 1) -> caseworker side; the
        out node and its arcs are made once per citizen-day-type."""
        ix, graph = self.ix, self.graph
        cit, m, unit_pool = ix.conv_cit[c], ix.conv_min[c], ix.conv_unit_pool[c]
        xin = graph.node(("XI", cit, d, m, unit_pool), K_XIN)
        xout = graph.node_of.get(("XO", cit, d, m, unit_pool))
        arcs = [graph.arc(cn, xin, 1, wpart, lower)]
        if xout is None:
            xout = graph.node(("XO", cit, d, m, unit_pool), K_XOUT)
            graph.arc(xin, xout, 1)
            self.targets(xout, cit, d, m, unit_pool, coord_days, 0, 0)
        return arcs

    def targets(self, tail: int, cit: int, d: int, m: int, unit_pool: bool,
                coord_days: list[int], wpart: int, lower: int) -> list[int]:
        """Arcs from a conversation (or citizen-day node) into the caseworker side."""
        ix, graph, side = self.ix, self.graph, self.side
        mask = ix.cit_mask[cit]
        arcs = []
        if side.has_day(coord_days, d):
            arcs.append(graph.arc(tail, side.type_node(ix.cit_coord[cit], d, mask, m), 1,
                                  wpart, lower))
        if unit_pool:
            arcs.append(graph.arc(tail, side.unit_node(ix.cit_unit[cit], d, mask, m), 1, wpart,
                                  lower - F_NONCOORD))
        return arcs

    def booking_arc(self, c: int, cn: int) -> None:
        ix, g = self.ix, self.side.g
        s, _ = ix.booking[c]
        d = ix.slot_day[s]
        if (not self.open_day(c, d) or not ix.eligible_slot(c, s) or ix.slot_left[s] <= 0):
            return
        key = (ix.slot_cw[s], d, ix.slot_ch[s], ix.slot_min[s])
        gid = next((x for x in g.by_cwday.get(key[:2], []) if g.key[x] == key), None)
        if gid is None:
            return
        wpart, lower = self.objective.value(c, d)
        if ix.slot_cw[s] != ix.cit_coord[ix.conv_cit[c]]:
            lower -= F_NONCOORD
        a = self.graph.arc(cn, self.side.group_node(gid), 1, wpart, lower + E_KEEP)
        self.mark(c, d, [a])

    def mark(self, c: int, d: int, arcs: list[int]) -> None:
        """Record repair penalties and stickiness for the arcs of conversation c on day d."""
        self.conv_arcs += len(arcs)
        units = self.penalties.get((c, d), 0)
        stick = self.sticky.get(c) == d
        for a in arcs:
            if units:
                self.pen_arcs[a] = units
            if stick:
                self.stick_arcs.append(a)
