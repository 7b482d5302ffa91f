"""Who the citizens of a run are, and what the rules engine says they must have.

The population is drawn from `draws.stream(seed, ...)` only (never from the policy): programme
starts per (group, week), the scenario's fixed citizens, and the pre-history of those who started
before the simulation. `obligations` and `next_obligation` ask the rules engine
(`booking.rules`, pure) for a citizen's dated obligations.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import math
from collections import defaultdict
from collections.abc import Iterator

from booking.rules import HeldConversation, Obligation, ProgrammeObligations, RuleSet

from .draws import pick, poisson, stream
from .types import Scenario, Unit
from .world import DAY, CitizenSpec

LOOKAHEAD_DAYS = 400  # obligations are computed this far ahead of the day
HORIZON_DAYS = 366  # a programme's slots are built this far past the first day asked for
CACHED_PROGRAMMES = 50_000  # at most this many programmes kept (per process)


def _unit_shares(scenario: Scenario, group_units: dict[str, float]) -> dict[str, float]:
    return group_units or {u.id: float(u.caseworkers) for u in scenario.units}


def population(scenario: Scenario, rule_set: RuleSet, seed: int, weeks: int) -> list[CitizenSpec]:
    """Every citizen of the run: starts drawn per (group, week), the fixed citizens, and the
    pre-history (starts up to `history_weeks` before, whose earlier obligations were met).
    `assignment = "balanced"` gives each new citizen the unit's caseworker with the fewest
    active citizens (in order of start); `"random"` draws one."""
    sim_start = scenario.start
    last_day = sim_start + dt.timedelta(weeks=weeks)
    # per caseworker: citizens without an end, and the ends still ahead (a heap); the starts
    # come in order, so an end on or before one start is past for every later one
    open_ended: dict[str, int] = defaultdict(int)
    ending: dict[str, list[dt.date]] = defaultdict(list)
    out: list[CitizenSpec] = []
    for spec, unit in _starts(scenario, seed, weeks):
        if scenario.assignment == "balanced":
            def load(cw: str, start: dt.date = spec.start) -> int:
                ends = ending[cw]
                while ends and ends[0] <= start:
                    heapq.heappop(ends)
                return open_ended[cw] + len(ends)
            cw = min(unit.caseworker_ids(), key=load)
            spec = dataclasses.replace(spec, caseworker=cw)
        if spec.end is None:
            open_ended[spec.caseworker] += 1
        else:
            heapq.heappush(ending[spec.caseworker], spec.end)
        if spec.end is not None and spec.end <= sim_start:
            continue
        if spec.start < sim_start:
            # built once for the whole run: its last day asks this far ahead
            until = last_day + dt.timedelta(days=LOOKAHEAD_DAYS)
            _programme(rule_set, spec, until, horizon=until)
            spec = _with_history(spec, scenario, rule_set)
        out.append(spec)
    for c in scenario.citizens:
        out.append(CitizenSpec(c.id, c.group, c.unit, c.caseworker, c.start, c.end, c.show,
                               c.birth_date, c.self_booking, c.outcomes, c.held))
    return out


def _starts(scenario: Scenario, seed: int, weeks: int) -> list[tuple[CitizenSpec, Unit]]:
    """The programme starts of every group and week (Poisson), each citizen drawn from its own
    stream: start day, unit (and a caseworker of it), show probability, age, programme length,
    self-booking type; in order of start."""
    units = {u.id: u for u in scenario.units}
    drawn: list[tuple[CitizenSpec, Unit]] = []
    for g in scenario.groups:
        shares = _unit_shares(scenario, g.units)
        for week in range(-g.history_weeks, weeks):
            monday = scenario.start + dt.timedelta(weeks=week)
            n = poisson(stream(seed, "inflow", g.id, week), g.starts_per_week)
            for i in range(n):
                cid = f"{g.id}/{week}/{i}"
                rng = stream(seed, "citizen", cid)
                start = monday + dt.timedelta(days=rng.randrange(5))
                unit = units[pick(rng, shares)]
                cw = unit.caseworker_ids()[rng.randrange(unit.caseworkers)]
                p = g.show.fixed if g.show.fixed is not None else rng.betavariate(
                    g.show.alpha, g.show.beta)
                age = rng.randint(g.age.min, g.age.max)
                birth = start - dt.timedelta(days=365 * age + rng.randrange(365))
                end = None
                if g.duration_weeks is not None:
                    length = -math.log(1.0 - rng.random()) * g.duration_weeks * 7
                    end = start + dt.timedelta(days=max(7, int(length)))
                self_type = pick(rng, g.self_booking)
                drawn.append((CitizenSpec(cid, g.id, unit.id, cw, start, end, round(p, 4),
                                          birth, self_type), unit))
    drawn.sort(key=lambda x: (x[0].start, x[0].id))
    return drawn


def _with_history(spec: CitizenSpec, scenario: Scenario, rule_set: RuleSet) -> CitizenSpec:
    """Obligations due before the simulation starts were met, a week before their deadline."""
    held: list[HeldConversation] = []
    while True:
        ob = next_obligation(rule_set, spec, held, spec.start)
        if ob is None or ob.deadline >= scenario.start:
            break
        day = max(ob.earliest, ob.deadline - dt.timedelta(days=7),
                  held[-1].date + DAY if held else ob.earliest)
        held.append(HeldConversation(day, joint=ob.joint))
    return dataclasses.replace(spec, history=tuple(held))


_programmes: dict[tuple[int, str, dt.date, dt.date, dt.date | None], ProgrammeObligations] = {}


def obligations(rule_set: RuleSet, spec: CitizenSpec, held: list[HeldConversation],
                until: dt.date) -> list[Obligation]:
    """`compute_obligations` for the citizen's programme, from slots built once per programme
    (`booking.rules.programme`: the same answers, without rebuilding every slot per call)."""
    return list(_each(rule_set, spec, held, until))


def forget_programmes() -> None:
    """Drop the programmes built so far (those of another seed's citizens)."""
    _programmes.clear()


def _programme(rule_set: RuleSet, spec: CitizenSpec, until: dt.date,
               horizon: dt.date | None = None) -> ProgrammeObligations:
    """The citizen's programme, built once (again only when asked past its horizon): to
    `horizon`, by default `HORIZON_DAYS` past `until`."""
    key = (id(rule_set), spec.group, spec.start, spec.birth_date, spec.end)
    prog = _programmes.get(key)
    if (prog is None or prog.rule_set is not rule_set
            or min(until, spec.end or until) > prog.horizon):
        if len(_programmes) >= CACHED_PROGRAMMES:
            _programmes.clear()
        prog = _programmes[key] = ProgrammeObligations(
            rule_set, spec.group, spec.start,
            horizon=horizon or until + dt.timedelta(days=HORIZON_DAYS),
            birth_date=spec.birth_date, programme_end=spec.end)
    return prog


def _each(rule_set: RuleSet, spec: CitizenSpec, held: list[HeldConversation],
          until: dt.date) -> Iterator[Obligation]:
    return _programme(rule_set, spec, until).each(held, until)


def fulfilment(rule_set: RuleSet, spec: CitizenSpec, held: list[HeldConversation],
               until: dt.date) -> Iterator[tuple[Obligation, dt.date | None]]:
    """`obligations` as (the obligation as it stands open, the date it was fulfilled on or
    None): `ProgrammeObligations.each_fulfilled`."""
    return _programme(rule_set, spec, until).each_fulfilled(held, until)


def next_obligation(rule_set: RuleSet, spec: CitizenSpec, held: list[HeldConversation],
                    day: dt.date) -> Obligation | None:
    """The earliest-deadline open, bookable, mandatory conversation that can still be met."""
    until = day + dt.timedelta(days=LOOKAHEAD_DAYS)
    return _programme(rule_set, spec, until).first_open(
        held, until, lambda ob: (ob.bookable and ob.mandatory
                                 and (ob.closes is None or ob.closes >= day)))


def quiet_until(rule_set: RuleSet, spec: CitizenSpec, day: dt.date) -> dt.date:
    """When `next_obligation` found nothing on `day`: the first day it may find something with
    the same history (before it, no obligation starts within its look-ahead)."""
    until = day + dt.timedelta(days=LOOKAHEAD_DAYS)
    first = _programme(rule_set, spec, until).next_start(until)
    return dt.date.max if first is None else first - dt.timedelta(days=LOOKAHEAD_DAYS)


def rehab_ready(seed: int, scenario: Scenario, spec: CitizenSpec) -> dt.date:
    r = scenario.rehab.ready_days
    return spec.start + dt.timedelta(days=stream(seed, "rehab", spec.id).randint(r.min, r.max))
