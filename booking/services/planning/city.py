"""A city-sized municipality for the planner's benchmark (``python -m booking.bench plan``).

The solver's own seeded generator (``solver.generate``, shape M: 20,000 conversations, 160
caseworkers in units of 8, 8 weeks of slots, a tenth booked, half of those locked) is loaded
into the database: units, caseworkers, citizens with a programme, slots, obligations (open, or
booked) and bookings (a locked one as the citizen's own, an unlocked one as the job centre's).
Deadlines are kept in the planning horizon (today … today + 55 days), so that every generated
conversation is one the planner sees. Rows are written with bulk inserts in one transaction.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from solver.generate import SHAPES, generate

from ...database import transaction
from ...models import (
    Booking,
    BookingSource,
    BookingState,
    Caseworker,
    Channel,
    Citizen,
    Obligation,
    ObligationState,
    Programme,
    Slot,
    Unit,
)
from ..calendar_days import local_datetime

HORIZON_DAYS = 55


def _utc(text: str) -> datetime:
    day, clock = text.split("T")
    hour, minute = clock.split(":")
    return local_datetime(date.fromisoformat(day), time(int(hour), int(minute))).astimezone(UTC)


def load_city(session: Session, conversations: int, today: date, rule_set: str,
              seed: int = 1) -> dict[str, int]:
    """Generate and store the city (the database must be empty of units); commits."""
    shape = SHAPES["M"]
    shape = replace(shape, conversations=conversations,
                    caseworkers=max(shape.unit_size, shape.caseworkers * conversations
                                    // shape.conversations))
    data = generate(shape, seed)
    offset = (today - date.fromisoformat(data["today"])).days
    units = sorted({w["unit"] for w in data["caseworkers"]})
    unit_id = {u: i + 1 for i, u in enumerate(units)}
    cw_id = {w["id"]: i + 1 for i, w in enumerate(data["caseworkers"])}
    cit_id = {c["id"]: i + 1 for i, c in enumerate(data["citizens"])}
    slot_id = {s["id"]: i + 1 for i, s in enumerate(data["slots"])}
    conv_id = {c["id"]: i + 1 for i, c in enumerate(data["conversations"])}
    booked = {b["conversation"]: b for b in data["bookings"]}
    shift = timedelta(days=offset)
    last = today + timedelta(days=HORIZON_DAYS)
    rows: dict[Any, list[dict[str, Any]]] = {
        Unit: [{"id": unit_id[u], "code": f"B{unit_id[u]:02d}", "name": f"Enhed {u}"}
               for u in units],
        Caseworker: [{"id": cw_id[w["id"]], "unit_id": unit_id[w["unit"]],
                      "name": f"Sagsbehandler {w['id']}", "initials": f"S{cw_id[w['id']]}",
                      "max_per_day": w.get("max_per_day"),
                      "calendar_token": uuid.uuid4().hex} for w in data["caseworkers"]],
        Citizen: [], Programme: [], Slot: [], Obligation: [], Booking: [],
    }
    for c in data["citizens"]:
        ident = cit_id[c["id"]]
        channels = c.get("channels")
        rows[Citizen].append({
            "id": ident, "cpr_hash": hashlib.sha256(f"city-{ident}".encode()).hexdigest(),
            "cpr_masked": "010190-xxxx", "birth_date": date(1990, 1, 1),
            "name": f"Borger {ident}", "email": f"borger{ident}@example.org",
            "phone": "+45 20 30 40 50" if ident % 2 else None, "language": "da",
            "unit_id": unit_id[c["unit"]], "caseworker_id": cw_id[c["caseworker"]],
            "channels": None if channels is None or len(channels) == 3 else channels,
            "show_probability": c.get("show_probability", 1.0)})
        rows[Programme].append({"id": ident, "citizen_id": ident, "target_group": "cash_benefit",
                                "start_date": today - timedelta(days=60),
                                "rule_set_code": rule_set})
    for s in data["slots"]:
        start = _utc(s["start"]) + shift
        rows[Slot].append({"id": slot_id[s["id"]], "caseworker_id": cw_id[s["caseworker"]],
                           "starts_at": start, "minutes": s["minutes"],
                           "channel": Channel(s["channel"]), "capacity": s.get("capacity", 1),
                           "location": "Jobcenter By" if s["channel"] == "in_person" else None,
                           "self_bookable": True})
    citizen_of = {c["id"]: c["citizen"] for c in data["conversations"]}
    for n, c in enumerate(data["conversations"]):
        ident = conv_id[c["id"]]
        deadline = min(max(date.fromisoformat(c["deadline"]) + shift, today), last)
        earliest = min(date.fromisoformat(c["earliest"]) + shift, deadline)
        rows[Obligation].append({
            "id": ident, "citizen_id": cit_id[c["citizen"]],
            "programme_id": cit_id[c["citizen"]], "rule_set_code": rule_set,
            "step_key": f"city:{c['id']}", "kind": "conversation", "sequence": n + 1,
            "earliest": earliest, "deadline": deadline, "statutory_deadline": deadline,
            "channels": ["in_person", "phone", "video"], "pool": c.get("pool", "caseworker"),
            "joint": False, "holder": "jobcentre", "minutes": c.get("minutes", 30),
            "mandatory": True,
            "state": ObligationState.booked if c["id"] in booked else ObligationState.open,
            "label_da": "Jobsamtale", "label_en": "Job conversation"})
    for n, b in enumerate(data["bookings"]):
        rows[Booking].append({
            "id": n + 1, "slot_id": slot_id[b["slot"]], "seat": 1,
            "citizen_id": cit_id[citizen_of[b["conversation"]]],
            "obligation_id": conv_id[b["conversation"]], "state": BookingState.booked,
            "source": BookingSource.self if b.get("locked") else BookingSource.staff,
            "locked": False, "ical_uid": f"{uuid.uuid4()}@rettidig", "ical_sequence": 0})
    with transaction(session):
        for model, items in rows.items():
            for first in range(0, len(items), 5000):
                session.execute(insert(model), items[first:first + 5000])
    return {"units": len(units), "caseworkers": len(rows[Caseworker]),
            "citizens": len(rows[Citizen]), "slots": len(rows[Slot]),
            "open": len(rows[Obligation]) - len(rows[Booking]), "booked": len(rows[Booking])}
