"""Integer-indexed view of a `Problem` shared by the allocation modules.

Days are ordinals (`date.toordinal()`); caseworkers, citizens, slots and conversations are
list positions. Locked bookings are applied here: they consume slot capacity, caseworker-day
places and citizen-days before anything else is placed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from .problem import CHANNELS, Problem

UNLIMITED = 1 << 30
CHANNEL_BIT = {name: 1 << i for i, name in enumerate(CHANNELS)}


@dataclass
class Index:
    problem: Problem
    today: int
    rebook_days: int
    cw_ids: list[str]
    cw_unit: list[int]
    cw_max: list[int]
    unit_ids: list[str]
    unit_members: list[list[int]]
    cit_ids: list[str]
    cit_unit: list[int]
    cit_coord: list[int]
    cit_mask: list[int]
    cit_prob: list[float]
    slot_ids: list[str]
    slot_cw: list[int]
    slot_day: list[int]
    slot_min: list[int]
    slot_ch: list[int]
    slot_cap: list[int]
    conv_ids: list[str]
    conv_cit: list[int]
    conv_earliest: list[int]
    conv_deadline: list[int]
    conv_min: list[int]
    conv_unit_pool: list[bool]
    conv_weight: list[float]
    conv_wint: list[int]
    weight_scale: int
    booking: dict[int, tuple[int, bool]]
    # filled by apply_locked
    locked_slot: dict[int, int] = field(default_factory=dict)
    slot_left: list[int] = field(default_factory=list)
    cwday_left: dict[tuple[int, int], int] = field(default_factory=dict)
    citday_taken: set[tuple[int, int]] = field(default_factory=set)
    locked_conflicts: list[str] = field(default_factory=list)

    def day(self, ordinal: int) -> dt.date:
        return dt.date.fromordinal(ordinal)

    def eligible_slot(self, c: int, s: int) -> bool:
        """Hard rules 1-4 for conversation c in slot s (independent of occupancy)."""
        cit = self.conv_cit[c]
        w = self.slot_cw[s]
        if self.slot_day[s] < max(self.today, self.conv_earliest[c]):
            return False
        if not self.cit_mask[cit] & (1 << self.slot_ch[s]):
            return False
        if self.slot_min[s] < self.conv_min[c]:
            return False
        if self.conv_unit_pool[c]:
            return self.cw_unit[w] == self.cit_unit[cit]
        return w == self.cit_coord[cit]

    def free_conversations(self) -> list[int]:
        return [c for c in range(len(self.conv_ids)) if c not in self.locked_slot]


def integer_weights(weights: list[float]) -> tuple[list[int], int]:
    """Scale positive weights to integers; exact for up to 4 decimals, else rounded to 1e-4."""
    scale = 1
    for candidate in (1, 10, 100, 1000, 10000):
        scale = candidate
        if all(abs(w * candidate - round(w * candidate)) < 1e-9 for w in weights):
            break
    ints = [max(1, round(w * scale)) for w in weights]
    return ints, scale


def build_index(problem: Problem) -> Index:
    cw_ids = [w.id for w in problem.caseworkers]
    cw_pos = {x: i for i, x in enumerate(cw_ids)}
    unit_ids = sorted({w.unit for w in problem.caseworkers})
    unit_pos = {x: i for i, x in enumerate(unit_ids)}
    cw_unit = [unit_pos[w.unit] for w in problem.caseworkers]
    members: list[list[int]] = [[] for _ in unit_ids]
    for i, u in enumerate(cw_unit):
        members[u].append(i)
    cit_ids = [c.id for c in problem.citizens]
    cit_pos = {x: i for i, x in enumerate(cit_ids)}
    slot_ids = [s.id for s in problem.slots]
    slot_pos = {x: i for i, x in enumerate(slot_ids)}
    ch_pos = {name: i for i, name in enumerate(CHANNELS)}
    conv_ids = [c.id for c in problem.conversations]
    conv_pos = {x: i for i, x in enumerate(conv_ids)}
    weights = [c.weight for c in problem.conversations]
    wint, scale = integer_weights(weights)
    index = Index(
        problem=problem,
        today=problem.today.toordinal(),
        rebook_days=problem.settings.rebook_days,
        cw_ids=cw_ids,
        cw_unit=cw_unit,
        cw_max=[UNLIMITED if w.max_per_day is None else w.max_per_day
                for w in problem.caseworkers],
        unit_ids=unit_ids,
        unit_members=members,
        cit_ids=cit_ids,
        cit_unit=[unit_pos.get(c.unit, -1) for c in problem.citizens],
        cit_coord=[cw_pos[c.caseworker] for c in problem.citizens],
        cit_mask=[sum(CHANNEL_BIT[ch] for ch in c.channels) for c in problem.citizens],
        cit_prob=[c.show_probability for c in problem.citizens],
        slot_ids=slot_ids,
        slot_cw=[cw_pos[s.caseworker] for s in problem.slots],
        slot_day=[s.date.toordinal() for s in problem.slots],
        slot_min=[s.minutes for s in problem.slots],
        slot_ch=[ch_pos[s.channel] for s in problem.slots],
        slot_cap=[s.capacity for s in problem.slots],
        conv_ids=conv_ids,
        conv_cit=[cit_pos[c.citizen] for c in problem.conversations],
        conv_earliest=[c.earliest.toordinal() for c in problem.conversations],
        conv_deadline=[c.deadline.toordinal() for c in problem.conversations],
        conv_min=[c.minutes for c in problem.conversations],
        conv_unit_pool=[c.pool == "unit" for c in problem.conversations],
        conv_weight=weights,
        conv_wint=wint,
        weight_scale=scale,
        booking={conv_pos[b.conversation]: (slot_pos[b.slot], b.locked)
                 for b in problem.bookings},
    )
    apply_locked(index)
    return index


def apply_locked(ix: Index) -> None:
    """Fix locked bookings first; they consume capacity. Conflicts among them are recorded."""
    ix.slot_left = list(ix.slot_cap)
    for c, (s, locked) in ix.booking.items():
        if not locked:
            continue
        ix.locked_slot[c] = s
        w, d, cit = ix.slot_cw[s], ix.slot_day[s], ix.conv_cit[c]
        ix.slot_left[s] -= 1
        key = (w, d)
        ix.cwday_left[key] = ix.cwday_left.get(key, ix.cw_max[w]) - 1
        if ix.slot_left[s] < 0:
            ix.locked_conflicts.append(
                f"locked bookings exceed the capacity of slot {ix.slot_ids[s]}")
        if ix.cwday_left[key] < 0:
            ix.locked_conflicts.append(
                f"locked bookings exceed max_per_day of {ix.cw_ids[w]} on {ix.day(d)}")
        if (cit, d) in ix.citday_taken:
            ix.locked_conflicts.append(
                f"citizen {ix.cit_ids[cit]} has two locked conversations on {ix.day(d)}")
        ix.citday_taken.add((cit, d))


def scaled_weight_total(ix: Index, convs: list[int]) -> Fraction:
    return Fraction(sum(ix.conv_wint[c] for c in convs), ix.weight_scale)
