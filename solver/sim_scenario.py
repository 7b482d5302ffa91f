"""Simulation scenarios: one TOML file each, documented field by field in `scenarios/README.md`.

`load_scenario(path)` validates the whole file and raises one `ScenarioError` listing every
problem as `key.path: message`; unknown keys are errors, so a misspelt key never falls back to
a default silently. The loaded `Scenario` is immutable data; nothing here draws random numbers.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from .sim_types import (  # noqa: F401 - re-exported: the scenario API
    CHANNELS,
    SELF_TYPES,
    WEEKDAYS,
    Absence,
    Booking,
    FixedCitizen,
    Group,
    GroupCallin,
    Pattern,
    PolicyParams,
    Range,
    Rehab,
    Scenario,
    ScenarioError,
    Show,
    Unit,
)


class _T:
    """A TOML table under validation; every problem goes to the shared list with its path."""

    def __init__(self, raw: Any, path: str, problems: list[str]) -> None:
        self.path, self.problems = path, problems
        self.raw = raw if isinstance(raw, dict) else {}
        self.used: set[str] = set()
        if not isinstance(raw, dict):
            self.fail("", "not a table")

    def fail(self, key: str, msg: str) -> None:
        where = ".".join(p for p in (self.path, key) if p) or "$"
        self.problems.append(f"{where}: {msg}")

    def get(
        self,
        key: str,
        kind: type | tuple[type, ...],
        default: Any = ...,
        check=None,
        what: str = "",
    ) -> Any:
        self.used.add(key)
        if key not in self.raw:
            if default is ...:
                self.fail(key, "missing")
                return None
            return default
        value = self.raw[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.fail(key, f"expected {what or getattr(kind, '__name__', kind)}")
            return None if default is ... else default
        if check is not None and not check(value):
            self.fail(key, f"must be {what}")
            return None if default is ... else default
        return value

    def sub(self, key: str, default_empty: bool = True) -> _T:
        self.used.add(key)
        raw = self.raw.get(key, {} if default_empty else None)
        return _T(raw, f"{self.path}.{key}" if self.path else key, self.problems)

    def items(self, key: str) -> list[_T]:
        self.used.add(key)
        raw = self.raw.get(key, [])
        if not isinstance(raw, list):
            self.fail(key, "expected an array of tables")
            return []
        return [
            _T(r, f"{self.path + '.' if self.path else ''}{key}[{i}]", self.problems)
            for i, r in enumerate(raw)
        ]

    def done(self) -> None:
        for key in self.raw:
            if key not in self.used:
                self.fail(key, "unknown key")


def _range(t: _T, key: str, default: Range) -> Range:
    raw = t.raw.get(key)
    t.used.add(key)
    if raw is None:
        return default
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return Range(raw, raw)
    sub = t.sub(key)
    lo = sub.get("min", int, check=lambda v: v >= 0, what="an integer >= 0")
    hi = sub.get("max", int, check=lambda v: v >= 0, what="an integer >= 0")
    sub.done()
    if lo is None or hi is None:
        return default
    if hi < lo:
        t.fail(key, "max is below min")
    return Range(lo, max(lo, hi))


def _weekday(t: _T, key: str, value: Any) -> int:
    if value not in WEEKDAYS:
        t.fail(key, f"{value!r} is not one of {', '.join(WEEKDAYS)}")
        return 0
    return WEEKDAYS.index(value)


def _time(t: _T, key: str, value: Any) -> str:
    try:
        dt.time.fromisoformat(value)
        if len(value) != 5:
            raise ValueError
    except (TypeError, ValueError):
        t.fail(key, f"{value!r} is not a time HH:MM")
    return str(value)


def _shares(t: _T, key: str, names: tuple[str, ...] | None) -> dict[str, float]:
    sub = t.sub(key)
    out = {}
    for name in list(sub.raw):
        if names is not None and name not in names:
            continue
        v = sub.get(name, float, check=lambda v: v >= 0, what="a number >= 0")
        if v is not None:
            out[name] = v
    sub.done()
    if sub.raw and not sum(out.values()) > 0:
        t.fail(key, "shares must not all be zero")
    return out


def _unit(t: _T) -> Unit:
    patterns = []
    for p in t.items("patterns"):
        days = tuple(_weekday(p, "days", d) for d in p.get("days", list, default=[]))
        times = tuple(_time(p, "times", x) for x in p.get("times", list, default=[]))
        ch = p.get("channel", str, "in_person", lambda v: v in CHANNELS, "a channel")
        patterns.append(Pattern(days, times, p.get("minutes", int, 45, lambda v: v > 0, "> 0"), ch))
        p.done()
    groups = []
    for g in t.items("group_callins"):
        groups.append(
            GroupCallin(
                _weekday(g, "day", g.get("day", str, "tue")),
                tuple(_time(g, "times", x) for x in g.get("times", list, default=[])),
                g.get("caseworkers", int, 1, lambda v: v >= 1, ">= 1"),
            )
        )
        g.done()
    unit = Unit(
        t.get("id", str) or "?",
        t.get("caseworkers", int, 1, lambda v: v >= 1, ">= 1"),
        t.get("sick_rate", float, 0.0, lambda v: 0 <= v < 1, "in [0, 1)"),
        tuple(patterns),
        tuple(groups),
    )
    for g in unit.group_callins:
        if g.caseworkers > unit.caseworkers:
            t.fail("group_callins", "pool larger than the unit")
    t.done()
    return unit


def _show(t: _T, key: str) -> Show:
    s = t.sub(key)
    fixed = s.get("fixed", float, None, lambda v: 0 <= v <= 1, "in [0, 1]")
    alpha = s.get("alpha", float, 0.0, lambda v: v > 0, "> 0")
    beta = s.get("beta", float, 0.0, lambda v: v > 0, "> 0")
    s.done()
    if fixed is None and not (alpha and beta):
        t.fail(key, "give either fixed, or alpha and beta of a Beta distribution")
        return Show(fixed=1.0)
    return Show(alpha, beta, fixed)


def _group(t: _T) -> Group:
    sb = _shares(t, "self_booking", SELF_TYPES) or {"early": 1.0}
    for name in t.sub("self_booking").raw:
        if name not in SELF_TYPES:
            t.fail(f"self_booking.{name}", f"not one of {', '.join(SELF_TYPES)}")
    g = Group(
        t.get("id", str) or "?",
        t.get("starts_per_week", float, 0.0, lambda v: v >= 0, ">= 0"),
        _show(t, "show"),
        sb,
        _shares(t, "units", None),
        t.get("duration_weeks", float, None, lambda v: v > 0, "> 0"),
        _range(t, "age", Range(25, 60)),
        t.get("history_weeks", int, 0, lambda v: v >= 0, ">= 0"),
    )
    t.done()
    return g


def parse_scenario(data: dict[str, Any], source: str = "") -> Scenario:
    problems: list[str] = []
    root = _T(data, "", problems)
    s = root.sub("scenario")
    is_date = (dt.date,)
    start = s.get("start", is_date, dt.date(2025, 1, 6), what="a date")
    if isinstance(start, dt.date) and start.weekday() != 0:
        s.fail("start", "must be a Monday")
    closed = [d for d in s.get("closed_days", list, []) if isinstance(d, dt.date)]
    head = dict(
        name=s.get("name", str, Path(source).stem or "scenario"),
        description=s.get("description", str, ""),
        start=start,
        warmup_weeks=s.get("warmup_weeks", int, 4, lambda v: v >= 0, ">= 0"),
        rule_set=s.get("rule_set", str),
        public_holidays=s.get("public_holidays", str, "DK"),
        closed_days=frozenset(closed),
        on_time_against=s.get(
            "on_time_against",
            str,
            "deadline",
            lambda v: v in ("deadline", "statutory_deadline"),
            "deadline or statutory_deadline",
        ),
        assignment=s.get(
            "assignment",
            str,
            "balanced",
            lambda v: v in ("balanced", "random"),
            "balanced or random",
        ),
    )
    s.done()
    b = root.sub("booking")
    nonneg = (lambda v: v >= 0, "an integer >= 0")
    booking = Booking(
        notice_days=b.get("notice_days", int, 3, *nonneg),
        letter_days=b.get("letter_days", int, 28, *nonneg),
        early_letter_days=b.get("early_letter_days", int, 0, *nonneg),
        horizon_weeks=b.get("horizon_weeks", int, 8, lambda v: v >= 1, ">= 1"),
        lock_days=b.get("lock_days", int, 7, *nonneg),
        plan_horizon_days=b.get("plan_horizon_days", int, 21, lambda v: v >= 1, ">= 1"),
        self_booking_choices=b.get("self_booking_choices", int, 5, lambda v: v >= 1, ">= 1"),
        early_booker_days=_range(b, "early_booker_days", Range(0, 3)),
        late_booker_days=_range(b, "late_booker_days", Range(0, 2)),
        rebook_days=_range(b, "rebook_days", Range(7, 7)),
        group_fill=b.get("group_fill", float, 1.0, lambda v: 0 < v <= 3, "in (0, 3]"),
        group_max_probability=b.get(
            "group_max_probability", float, 0.7, lambda v: 0 <= v <= 1, "in [0, 1]"
        ),
    )
    b.done()
    units = tuple(_unit(u) for u in root.items("units"))
    unit_ids = {u.id for u in units}
    cw_ids = {c for u in units for c in u.caseworker_ids()}
    if not units:
        root.fail("units", "at least one unit is needed")
    groups = tuple(_group(g) for g in root.items("groups"))
    for i, g in enumerate(groups):
        for u in g.units:
            if u not in unit_ids:
                problems.append(f"groups[{i}].units.{u}: unknown unit")
    citizens = []
    for c in root.items("citizens"):
        cit = FixedCitizen(
            c.get("id", str) or "?",
            c.get("group", str) or "?",
            c.get("unit", str) or "?",
            c.get("caseworker", str) or "?",
            c.get("start", is_date, start, what="a date"),
            c.get("show", float, 1.0, lambda v: 0 <= v <= 1, "in [0, 1]"),
            c.get("self_booking", str, "early", lambda v: v in SELF_TYPES, " or ".join(SELF_TYPES)),
            tuple(bool(x) for x in c.get("outcomes", list, [])),
            c.get("birth_date", is_date, dt.date(1980, 1, 1), what="a date"),
        )
        if cit.unit not in unit_ids:
            c.fail("unit", "unknown unit")
        if cit.caseworker not in cw_ids:
            c.fail("caseworker", "unknown caseworker (ids are <unit>-1 … <unit>-N)")
        c.done()
        citizens.append(cit)
    absences = []
    for a in root.items("absences"):
        cw = a.get("caseworker", str) or "?"
        if cw not in cw_ids:
            a.fail("caseworker", "unknown caseworker")
        absences.append(
            Absence(
                cw,
                a.get("from", is_date, start, what="a date"),
                a.get("to", is_date, start, what="a date"),
            )
        )
        a.done()
    r = root.sub("rehab")
    meetings = []
    for m in r.items("meetings"):
        meetings.append(
            (_weekday(m, "day", m.get("day", str, "thu")), m.get("capacity", int, 1, *nonneg))
        )
        m.done()
    rehab = Rehab(
        tuple(r.get("groups", list, [])),
        r.get("lead_days", int, 14, *nonneg),
        _range(r, "ready_days", Range(0, 0)),
        tuple(meetings),
    )
    r.done()
    pt = root.sub("policy")
    unit_interval = (lambda v: 0 <= v < 1, "in [0, 1)")
    policy = PolicyParams(
        pt.get("overbook_risk", float, 0.3, *unit_interval),
        pt.get("pool_risk", float, 0.0, *unit_interval),
        pt.get("pool_seats", int, 9, lambda v: v >= 1, ">= 1"),
        pt.get("pool_max_probability", float, None, lambda v: 0 <= v <= 1, "in [0, 1]"),
    )
    pt.done()
    root.done()
    if problems:
        raise ScenarioError([f"{source}: {p}" if source else p for p in problems])
    return Scenario(
        **head,
        booking=booking,
        units=units,
        groups=groups,
        citizens=tuple(citizens),
        absences=tuple(absences),
        rehab=rehab,
        policy=policy,
        source=source,
    )


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ScenarioError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{path}: not valid TOML ({exc})"]) from None
    return parse_scenario(data, str(path))


def resolve_rule_set(scenario: Scenario) -> Any:
    """The scenario's rule set: a packaged id, or a path relative to the scenario file."""
    from booking.rules import load_rule_set

    name = scenario.rule_set
    if name.endswith(".toml"):
        base = Path(scenario.source).parent if scenario.source else Path(".")
        return load_rule_set(base / name)
    return load_rule_set(name)
