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

The parts, one seam each: `graph` (node and arc bookkeeping), `groups` (slot groups and
independent components), `conversations` (the conversation side, one method per rule),
`caseworkers` (the caseworker side, one method per rule), `costs` (the objective's tiers as
arc costs) and `network` (build, solve, decode).
"""

from .groups import Component, Groups, assign_slots, build_groups, components
from .network import Network

__all__ = ["Component", "Groups", "Network", "assign_slots", "build_groups", "components"]
