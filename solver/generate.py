"""Seeded generator of realistic `jobcenter-plan/1` instances for benchmarks and tests."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]  # one object of the instance document

CHANNEL_SETS = [
    (["in_person", "phone", "video"], 0.5),
    (["in_person", "phone"], 0.2),
    (["in_person"], 0.15),
    (["phone", "video"], 0.15),
]


@dataclass(frozen=True)
class Shape:
    conversations: int
    caseworkers: int
    weeks: int
    slots_per_day: tuple[int, int]  # inclusive range per caseworker and working day
    unit_size: int = 8
    meetings: int = 8
    cases: int = 30
    booked_share: float = 0.1


SHAPES = {
    "S": Shape(500, 6, 4, (4, 6), unit_size=3),
    "M": Shape(20_000, 160, 8, (3, 5)),
    "L": Shape(85_000, 400, 8, (4, 6)),
    "rehab": Shape(0, 0, 8, (0, 0), meetings=100, cases=1000),
}


def generate(shape: Shape, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    today = dt.date(2027, 3, 1)  # a Monday
    days = [today + dt.timedelta(days=i) for i in range(shape.weeks * 7)
            if (today + dt.timedelta(days=i)).weekday() < 5]
    caseworkers: list[Json] = []
    for i in range(shape.caseworkers):
        caseworkers.append({"id": f"cw-{i}", "unit": f"u-{i // shape.unit_size}",
                            "max_per_day": rng.randint(5, 8)})
    slots: list[Json] = []
    for cw in caseworkers:
        for day in days:
            minute = 8 * 60 + 30
            for _ in range(rng.randint(*shape.slots_per_day)):
                length = rng.choice((30, 45, 45, 60))
                channel = rng.choices(("in_person", "phone", "video"), (0.55, 0.35, 0.1))[0]
                slots.append({"id": f"s-{len(slots)}", "caseworker": cw["id"],
                              "start": f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}",
                              "minutes": length, "channel": channel, "capacity": 1})
                minute += length + rng.choice((10, 15, 30, 60))
    citizens: list[dict[str, Any]] = []
    conversations: list[dict[str, Any]] = []
    span = shape.weeks * 7
    while len(conversations) < shape.conversations:
        cw = rng.choice(caseworkers)
        channels = rng.choices([c for c, _ in CHANNEL_SETS], [w for _, w in CHANNEL_SETS])[0]
        cit = {"id": f"c-{len(citizens)}", "unit": cw["unit"], "caseworker": cw["id"],
               "show_probability": round(rng.uniform(0.45, 1.0), 3), "channels": channels}
        citizens.append(cit)
        for _ in range(1 if rng.random() < 0.75 else 2):
            earliest = today + dt.timedelta(days=rng.randint(-14, span - 10))
            deadline = earliest + dt.timedelta(days=rng.randint(7, 42))
            conversations.append({
                "id": f"d-{len(conversations)}", "citizen": cit["id"],
                "earliest": earliest.isoformat(), "deadline": deadline.isoformat(),
                "minutes": 30 if rng.random() < 0.7 else 45,
                "pool": "unit" if rng.random() < 0.3 else "caseworker",
                "weight": 2 if rng.random() < 0.25 else 1})
    bookings = _bookings(rng, shape, today, caseworkers, citizens, slots, conversations)
    meetings, cases = _rehab(rng, shape, today, days, caseworkers, citizens)
    return {"format": "jobcenter-plan/1", "timezone": "Europe/Copenhagen",
            "today": today.isoformat(), "settings": {"rebook_days": 7, "rehab_lead_days": 14},
            "caseworkers": caseworkers, "citizens": citizens, "slots": slots,
            "conversations": conversations, "bookings": bookings,
            "rehab_meetings": meetings, "rehab_cases": cases}


def _bookings(rng: random.Random, shape: Shape, today: dt.date, caseworkers: list[Json],
              citizens: list[Json], slots: list[Json], conversations: list[Json]) -> list[Json]:
    """Valid existing bookings (the coordinating caseworker's matching slot), half locked."""
    by_cw: dict[str, list[Json]] = {}
    for s in slots:
        by_cw.setdefault(s["caseworker"], []).append(s)
    cit = {c["id"]: c for c in citizens}
    mpd = {c["id"]: c["max_per_day"] for c in caseworkers}
    used: set[str] = set()
    cwday: dict[tuple[str, str], int] = {}
    citday: set[tuple[str, str]] = set()
    out: list[Json] = []
    for conv in rng.sample(conversations, int(len(conversations) * shape.booked_share)):
        c = cit[conv["citizen"]]
        start = max(today.isoformat(), conv["earliest"])
        options = [s for s in by_cw.get(c["caseworker"], [])
                   if s["start"][:10] >= start and s["channel"] in c["channels"]
                   and s["minutes"] >= conv["minutes"] and s["id"] not in used]
        rng.shuffle(options)
        for s in options[:5]:
            day = s["start"][:10]
            key = (s["caseworker"], day)
            if cwday.get(key, 0) < mpd[s["caseworker"]] and (c["id"], day) not in citday:
                used.add(s["id"])
                cwday[key] = cwday.get(key, 0) + 1
                citday.add((c["id"], day))
                out.append({"conversation": conv["id"], "slot": s["id"],
                            "locked": rng.random() < 0.5})
                break
    return out


def _rehab(rng: random.Random, shape: Shape, today: dt.date, days: list[dt.date],
           caseworkers: list[Json], citizens: list[Json]) -> tuple[list[Json], list[Json]]:
    meetings: list[Json] = []
    for i in range(shape.meetings):
        day = days[i * len(days) // max(1, shape.meetings)] if days else today
        meetings.append({"id": f"m-{i}", "date": day.isoformat(), "capacity": rng.randint(8, 12)})
    if not citizens and shape.cases:
        if not caseworkers:
            caseworkers.append({"id": "cw-0", "unit": "u-0"})
        citizens.extend({"id": f"c-{i}", "unit": "u-0", "caseworker": "cw-0"}
                        for i in range(shape.cases))
    cases: list[Json] = []
    for i in range(shape.cases):
        ready = today + dt.timedelta(days=rng.randint(-30, shape.weeks * 7 - 14))
        deadline = ready + dt.timedelta(days=rng.randint(14, 42))
        case = {"id": f"r-{i}", "citizen": citizens[i % len(citizens)]["id"],
                "ready": ready.isoformat(), "deadline": deadline.isoformat(),
                "weight": 2 if rng.random() < 0.2 else 1}
        if ready < today and rng.random() < 0.3:
            case["material_sent"] = True
        cases.append(case)
    return meetings, cases
