"""Slot groups and independent components: what the network is built on.

Slots of one caseworker, date, channel and length form a *group*: they are interchangeable for
every hard rule, so the network has one node per group, with the group's free places as its
capacity (rule 5), and `assign_slots` turns a group's flow back into concrete slots. Free
conversations split into *components* by the caseworkers they can reach; components share no
capacity and are solved separately.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..model import Index


@dataclass
class Groups:
    key: list[tuple[int, int, int, int]]  # (caseworker, day, channel, minutes)
    cap: list[int]
    slots: list[list[int]]
    by_cwday: dict[tuple[int, int], list[int]]
    cwday_left: dict[tuple[int, int], int]
    by_cw: dict[int, list[int]]  # caseworker -> days with a free group
    last_day: int | None = None  # the latest day of a group (None: no group)


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
    g.last_day = max((k[1] for k in g.key), default=None)
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
