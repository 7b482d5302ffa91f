"""Node and arc bookkeeping of one min-cost-flow network.

Nodes are numbered as they are first asked for (the source is 0, the sink 1) and keyed by a
tuple that names what they stand for (`("C", c)` a conversation, `("G", gid)` a slot group, …).
Arcs are columns: tail, head, capacity, and two parts of the value an arc carries: `wpart`, the
on-time weight (first tier), and `lower`, the value of the lower tiers; `costs` turns them into
one cost. The order in which nodes and arcs are made is part of the result (ties in the
min-cost flow are broken by it), so every builder adds them in a fixed order.
"""

from __future__ import annotations

from collections.abc import Hashable

# node kinds, in processing order for decoding
K_SRC, K_CONV, K_XIN, K_XOUT, K_UNIT, K_TYPE, K_GROUP, K_CWDAY, K_SNK = range(9)
SOURCE, SINK = 0, 1

NodeKey = tuple[Hashable, ...]


class Graph:
    """Nodes by key and kind; arcs as parallel lists."""

    def __init__(self) -> None:
        self.kind: list[int] = [K_SRC, K_SNK]
        self.node_of: dict[NodeKey, int] = {}
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[int] = []
        self.wpart: list[int] = []  # on-time weight (scaled) carried by the arc
        self.lower: list[int] = []  # value of the lower tiers (plan mode)
        self._append = (self.tails.append, self.heads.append, self.caps.append,
                        self.wpart.append, self.lower.append)

    def node(self, key: NodeKey, kind: int) -> int:
        """The node of `key`, made (with its kind) on first use."""
        n = self.node_of.get(key)
        if n is None:
            n = self.node_of[key] = len(self.kind)
            self.kind.append(kind)
        return n

    def arc(self, tail: int, head: int, cap: int, wpart: int = 0, lower: int = 0) -> int:
        to_tails, to_heads, to_caps, to_wpart, to_lower = self._append
        to_tails(tail)
        to_heads(head)
        to_caps(cap)
        to_wpart(wpart)
        to_lower(lower)
        return len(self.tails) - 1

    @property
    def n_nodes(self) -> int:
        return len(self.kind)

    @property
    def n_arcs(self) -> int:
        return len(self.tails)
