"""From live rows to a valid ``jobcenter-plan/1`` document (see :mod:`.problem`).

The format says some things per citizen or per caseworker that the data holds per conversation
or per day; the assembly keeps every plan the solver can make valid in the real data:

* channels belong to a citizen in the format: the citizen's channels are the intersection of
  what they can use and what each of their conversations allows, earliest deadline first; a
  conversation that would empty it is excluded (``channel_conflict``), one that allows none of
  the citizen's channels too (``no_channel``);
* a citizen with no coordinating caseworker is planned in the unit pool (any caseworker of the
  unit); a unit without caseworkers cannot be planned (``no_caseworker``);
* bookings that hold a seat or a day but are not planned (other people's bookings in a planned
  slot, a second booking of a citizen on one day) are locked stand-ins (``x-``, ``b-`` ids) with
  a citizen of their own where the real one is busy already;
* ``max_per_day`` is per caseworker in the format: where locked bookings already fill a
  caseworker-day beyond it (citizens booking themselves do not see the limit), the extra ones
  are left out of the document and only reduce their slot's seats, so that the day takes no
  more and the locked bookings do not conflict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ...models import BookingSource
from ..clock import zone
from ..obligations import BOOKABLE_KINDS
from .refs import ConversationRef, Excluded, SlotRef
from .rows import AnyRow, Calendar, conversation_version, local_day, slot_version

ALL_CHANNELS = ("in_person", "phone", "video")
OPTIONAL_WEIGHT = 0.5  # a conversation that is not mandatory weighs half a mandatory one


@dataclass
class _Fixed:
    key: str
    citizen: str  # the document's citizen id (a stand-in's own where the real one is busy)
    slot_id: int
    day: date
    caseworker_id: int
    pseudo: bool
    citizen_id: int | None  # the real citizen, if one of the plan's


class Assembly:
    def __init__(self, horizon: Any, units: tuple[int, ...], citizens: dict[int, AnyRow],
                 workers: dict[int, AnyRow], slots: dict[int, AnyRow],
                 calendar: Calendar) -> None:
        self.h = horizon
        self.units = units
        self.citizens = citizens
        self.workers = workers
        self.slot_rows = slots
        self.calendar = calendar
        self.conversations: dict[str, ConversationRef] = {}
        self.slot_refs: dict[str, SlotRef] = {}
        self.excluded: list[Excluded] = []
        self._entries: dict[str, dict[str, Any]] = {}  # document conversations
        self._free: dict[int, list[tuple[str, AnyRow]]] = defaultdict(list)  # by citizen
        self._movable: dict[str, int] = {}  # key -> slot id
        self._fixed: list[_Fixed] = []
        self._busy: set[tuple[str, date]] = set()
        self._stand_ins: dict[str, tuple[int, int]] = {}  # citizen id -> (unit, caseworker)
        self._usable: dict[int, bool] = {}
        self._coord: dict[int, int | None] = {}
        self._channels: dict[int, list[str]] = {}
        self._members: dict[int, list[int]] = defaultdict(list)
        for w in sorted(workers.values(), key=lambda r: r.id):
            self._members[w.unit_id].append(w.id)
        self.hidden = 0
        self._resolved = False

    # --- input ---------------------------------------------------------------------------

    def usable(self, slot_id: int) -> bool:
        if slot_id not in self._usable:
            slot = self.slot_rows[slot_id]
            self._usable[slot_id] = self.calendar.usable(slot, self.workers[slot.caseworker_id])
        return self._usable[slot_id]

    def add_bookings(self, rows: Iterable[AnyRow], obligations: dict[int, AnyRow]) -> None:
        """The units' citizens' live bookings in the horizon: movable or locked."""
        for b in rows:
            ob = obligations.get(b.obligation_id) if b.obligation_id is not None else None
            key = f"o-{ob.id}" if ob is not None else f"b-{b.id}"
            if key in self.conversations:
                continue
            day = local_day(b.starts_at)
            citizen = self.citizens[b.citizen_id]
            plannable = (ob is not None and ob.kind in BOOKABLE_KINDS
                         and ob.holder == "jobcentre")
            locked = (b.source == BookingSource.self or b.locked or day <= self.h.lock_until
                      or not plannable
                      or self.slot_rows[b.slot_id].group_session_id is not None)
            version = conversation_version(ob, citizen, b)
            ref = ConversationRef(key, citizen.id, citizen.unit_id, ob.id if ob else None,
                                  ob.deadline if ob else day, b.id, b.slot_id, day, locked,
                                  version=version)
            if locked or ob is None:
                self.conversations[key] = ref
                self._add_fixed(key, citizen.id, b.slot_id, day, False)
                self._entries[key] = self._entry(citizen.id, ob, day)
            else:
                lifted = not self.usable(b.slot_id)
                self.conversations[key] = ConversationRef(
                    key, citizen.id, citizen.unit_id, ob.id, ob.deadline, b.id, b.slot_id, day,
                    lifted=lifted, version=version)
                if not lifted:
                    self._movable[key] = b.slot_id
                self._free[citizen.id].append((key, ob))

    def add_open(self, obligations: Iterable[AnyRow]) -> None:
        """Open obligations with a deadline in the horizon: conversations to place."""
        for ob in obligations:
            key = f"o-{ob.id}"
            if key in self.conversations:
                continue
            citizen = self.citizens[ob.citizen_id]
            self.conversations[key] = ConversationRef(
                key, citizen.id, citizen.unit_id, ob.id, ob.deadline,
                version=conversation_version(ob, citizen, None))
            self._free[citizen.id].append((key, ob))

    def add_outside(self, rows: Iterable[AnyRow]) -> None:
        """Other live bookings in planned slots: they hold a seat, a caseworker-day and (for
        the plan's own citizens) the citizen's day. Called last (after the plan's own)."""
        self._resolve_citizens()
        for b in rows:
            slot = self.slot_rows[b.slot_id]
            day = local_day(slot.starts_at)
            if day < self.h.plan_from or not self.usable(b.slot_id):
                continue  # nothing is placed there: the seat is simply not free
            key = f"x-{b.id}"
            citizen = b.citizen_id if b.citizen_id in self.citizens else None
            self.conversations[key] = ConversationRef(
                key, b.citizen_id, self.workers[slot.caseworker_id].unit_id, None, day,
                b.id, b.slot_id, day, locked=True, pseudo=True)
            self._add_fixed(key, citizen, b.slot_id, day, True)
            self._entries[key] = {"earliest": day.isoformat(), "deadline": day.isoformat()}

    # --- rules the format cannot say ---------------------------------------------------

    def _coordinator(self, citizen_id: int) -> int | None:
        if citizen_id not in self._coord:
            citizen = self.citizens[citizen_id]
            own = citizen.caseworker_id if citizen.caseworker_id in self.workers else None
            members = self._members.get(citizen.unit_id, [])
            self._coord[citizen_id] = own if own is not None and members else (
                members[0] if members else None)
        return self._coord[citizen_id]

    def _resolve_citizens(self) -> None:
        if self._resolved:
            return
        self._resolved = True
        for citizen_id, items in sorted(self._free.items()):
            citizen = self.citizens[citizen_id]
            if self._coordinator(citizen_id) is None:
                for key, ob in items:
                    self._exclude(key, ob, "no_caseworker", {"unit": citizen.unit_id})
                continue
            mine = set(citizen.channels or ALL_CHANNELS)
            chosen: set[str] | None = None
            for key, ob in sorted(items, key=lambda item: (item[1].deadline, item[0])):
                allowed = mine & set(ob.channels)
                narrowed = allowed if chosen is None else chosen & allowed
                if not allowed:
                    self._exclude(key, ob, "no_channel",
                                  {"channels": sorted(ob.channels, key=ALL_CHANNELS.index)})
                elif not narrowed:
                    self._exclude(key, ob, "channel_conflict",
                                  {"channels": sorted(allowed, key=ALL_CHANNELS.index)})
                else:
                    chosen = narrowed
            self._channels[citizen_id] = [c for c in ALL_CHANNELS if c in (chosen or mine)]
            for key, ob in items:
                if key in self.conversations and not self.conversations[key].locked:
                    self._entries[key] = self._entry(citizen_id, ob, None)
                    if key in self._movable and not self._eligible(key, ob):
                        self._lock(key)

    def _exclude(self, key: str, ob: AnyRow, code: str, params: dict[str, Any]) -> None:
        ref = self.conversations[key]
        if key in self._movable:  # a booking stays as it is when it cannot be planned
            self._lock(key)
            self._entries[key] = self._entry(ref.citizen_id, ob, None)
            return
        del self.conversations[key]
        self.excluded.append(Excluded(key, ref.obligation_id, ref.citizen_id, code, params,
                                      ref.version))

    def _lock(self, key: str) -> None:
        ref = self.conversations[key]
        slot_id = self._movable.pop(key)
        self.conversations[key] = replace(ref, locked=True)
        self._add_fixed(key, ref.citizen_id, slot_id,
                        local_day(self.slot_rows[slot_id].starts_at), False)

    def _eligible(self, key: str, ob: AnyRow) -> bool:
        """Plan-format rules 1-4 for a movable booking where it is now."""
        slot = self.slot_rows[self._movable[key]]
        citizen = self.citizens[ob.citizen_id]
        day = local_day(slot.starts_at)
        coord = self._coordinator(citizen.id)
        if ob.pool == "unit" or citizen.caseworker_id is None:
            pool_ok = self.workers[slot.caseworker_id].unit_id == citizen.unit_id
        else:
            pool_ok = slot.caseworker_id == coord
        return (day >= max(self.h.plan_from, ob.earliest) and pool_ok
                and slot.channel.value in self._channels[citizen.id]
                and slot.minutes >= ob.minutes)

    def _add_fixed(self, key: str, citizen_id: int | None, slot_id: int, day: date,
                   pseudo: bool) -> None:
        citizen = f"c-{citizen_id}" if citizen_id is not None else None
        if (citizen is None or (citizen, day) in self._busy
                or (citizen_id is not None and self._coordinator(citizen_id) is None)):
            worker = self.workers[self.slot_rows[slot_id].caseworker_id]
            citizen = f"x-c{key}"
            self._stand_ins[citizen] = (worker.unit_id, worker.id)
        self._busy.add((citizen, day))
        self._fixed.append(_Fixed(key, citizen, slot_id, day,
                                  self.slot_rows[slot_id].caseworker_id, pseudo, citizen_id))

    def _placed_by_solver(self, citizen_id: int | None) -> bool:
        """Has the citizen a conversation the solver places (so their days matter)?"""
        return citizen_id is not None and any(
            key in self.conversations and not self.conversations[key].locked
            for key, _ in self._free.get(citizen_id, ()))

    def _hide_over_limit(self) -> dict[int, int]:
        """Leave out locked bookings beyond a caseworker-day's max_per_day (see the module);
        returns the seats they hold per slot."""
        by_day: dict[tuple[int, date], list[_Fixed]] = defaultdict(list)
        for item in self._fixed:
            by_day[(item.caseworker_id, item.day)].append(item)
        hidden: dict[int, int] = defaultdict(int)
        for (cw_id, day), items in by_day.items():
            limit = self.workers[cw_id].max_per_day
            if limit is None or len(items) <= limit:
                continue
            # first those whose day matters to no other conversation of the plan
            matters = {f.key: day >= self.h.plan_from and self._placed_by_solver(f.citizen_id)
                       for f in items}
            order = sorted(items, key=lambda f: (matters[f.key], not f.pseudo, f.key))
            for item in order[: len(items) - limit]:
                if matters[item.key]:
                    break  # hiding it would let the citizen's other conversation in
                hidden[item.slot_id] += 1
                self._fixed.remove(item)
                self.conversations.pop(item.key, None)
                self._entries.pop(item.key, None)
                self.hidden += 1
        return hidden

    # --- output --------------------------------------------------------------------------

    def _entry(self, citizen_id: int, ob: AnyRow | None, day: date | None) -> dict[str, Any]:
        if ob is None:
            assert day is not None
            return {"earliest": day.isoformat(), "deadline": day.isoformat()}
        earliest = min(ob.earliest, day) if day is not None else ob.earliest
        pool = ob.pool if self.citizens[citizen_id].caseworker_id is not None else "unit"
        return {"earliest": earliest.isoformat(), "deadline": ob.deadline.isoformat(),
                "minutes": ob.minutes, "pool": pool,
                "weight": 1 if ob.mandatory else OPTIONAL_WEIGHT}

    def document(self, timezone: str, rehab_lead_days: int) -> dict[str, Any]:
        self._resolve_citizens()
        hidden = self._hide_over_limit()
        fixed_at = {f.key: f for f in self._fixed}
        represented: dict[int, int] = defaultdict(int)
        for f in self._fixed:
            represented[f.slot_id] += 1
        for slot_id in self._movable.values():
            represented[slot_id] += 1
        slots = []
        for slot_id, slot in sorted(self.slot_rows.items()):
            day = local_day(slot.starts_at)
            inside = represented[slot_id]
            if self.h.plan_from <= day <= self.h.end and self.usable(slot_id):
                capacity = max(inside, slot.capacity - hidden[slot_id])
            else:
                capacity = inside
            if capacity <= 0:
                continue
            worker = self.workers[slot.caseworker_id]
            key = f"s-{slot_id}"
            self.slot_refs[key] = SlotRef(key, slot_id, slot.caseworker_id, day, capacity,
                                          slot_version(slot, worker, self.usable(slot_id)))
            start = slot.starts_at.astimezone(zone()).strftime("%Y-%m-%dT%H:%M")
            slots.append({"id": key, "caseworker": f"w-{slot.caseworker_id}", "start": start,
                          "minutes": slot.minutes, "channel": slot.channel.value,
                          "capacity": capacity})
        conversations, bookings, citizens = [], [], set()
        for key, ref in sorted(self.conversations.items()):
            fixed = fixed_at.get(key)
            citizen = fixed.citizen if fixed is not None else f"c-{ref.citizen_id}"
            citizens.add(citizen)
            conversations.append({"id": key, "citizen": citizen, **self._entries[key]})
            if fixed is not None:
                bookings.append({"conversation": key, "slot": f"s-{fixed.slot_id}",
                                 "locked": True})
            elif key in self._movable:
                bookings.append({"conversation": key, "slot": f"s-{self._movable[key]}",
                                 "locked": False})
        return {
            "format": "jobcenter-plan/1",
            "timezone": timezone,
            "today": self.h.plan_from.isoformat(),
            "settings": {"rebook_days": self.h.rebook_days, "rehab_lead_days": rehab_lead_days},
            "caseworkers": [self._worker(w) for _, w in sorted(self.workers.items())],
            "citizens": [self._citizen(c) for c in sorted(citizens)],
            "slots": slots,
            "conversations": conversations,
            "bookings": bookings,
            "rehab_meetings": [],
            "rehab_cases": [],
        }

    def _worker(self, w: AnyRow) -> dict[str, Any]:
        out: dict[str, Any] = {"id": f"w-{w.id}", "unit": f"u-{w.unit_id}"}
        if w.max_per_day is not None:
            out["max_per_day"] = w.max_per_day
        return out

    def _citizen(self, key: str) -> dict[str, Any]:
        if key in self._stand_ins:
            unit, worker = self._stand_ins[key]
            return {"id": key, "unit": f"u-{unit}", "caseworker": f"w-{worker}"}
        citizen_id = int(key[2:])
        citizen = self.citizens[citizen_id]
        out: dict[str, Any] = {"id": key, "unit": f"u-{citizen.unit_id}",
                               "caseworker": f"w-{self._coordinator(citizen_id)}",
                               "show_probability": min(1.0, max(0.0,
                                                                citizen.show_probability))}
        if citizen_id in self._channels:
            out["channels"] = self._channels[citizen_id]
        elif citizen.channels:
            out["channels"] = [c for c in ALL_CHANNELS if c in citizen.channels]
        return out

    def stats(self) -> dict[str, int]:
        real = [r for r in self.conversations.values() if not r.pseudo]
        return {
            "conversations": len(real),
            "movable": len(self._movable),
            "locked": sum(1 for r in real if r.locked),
            "stand_ins": len(self.conversations) - len(real),
            "hidden": self.hidden,
            "excluded": len(self.excluded),
            "slots": len(self.slot_refs),
        }
