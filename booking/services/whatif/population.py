"""Who the exported scenario's citizens are: today's active citizens as fixed `[[citizens]]`
(with the conversations held so far) and the inflow per target group as `[[groups]]`.

Inflow: the programme starts of the last `[whatif] inflow_weeks` whole weeks per group and
unit. Programme length: the mean of the group's ended programmes (none ended: no end). Show
probability: a Beta distribution fitted by the method of moments to the app's estimates of the
group's active citizens (fewer than five, or no spread: the settings' prior mean, fixed).

A fixed citizen's programme has no known end; with a mean length the remaining weeks are the
group's exponential quantiles spread over its citizens (deterministic, so the file is the same
each time and each seed meets the same people).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...models import Citizen, Programme
from ...rules import RuleSet
from ...settings import Settings
from ..calendar_days import week_monday
from .export import scenario_start, self_booking_types, show_estimate

if TYPE_CHECKING:
    from .export import _Live

MIN_FOR_FIT = 5


def beta_fit(values: list[float]) -> tuple[float, float] | None:
    """Method of moments: (alpha, beta) with the values' mean and variance, or None."""
    if len(values) < MIN_FOR_FIT:
        return None
    mean = statistics.fmean(values)
    var = statistics.pvariance(values, mean)
    if not 0 < mean < 1 or var <= 0 or var >= mean * (1 - mean):
        return None
    common = mean * (1 - mean) / var - 1
    return round(mean * common, 4), round((1 - mean) * common, 4)


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _active(session: Session, today: date) -> list[Programme]:
    """Each citizen's latest programme running today."""
    rows = session.scalars(
        select(Programme)
        .where(Programme.start_date <= today)
        .where((Programme.end_date.is_(None)) | (Programme.end_date > today))
        .options(selectinload(Programme.citizen).selectinload(Citizen.conversations))
        .order_by(Programme.citizen_id, Programme.start_date, Programme.id)
    )
    latest: dict[int, Programme] = {}
    for prog in rows:
        latest[prog.citizen_id] = prog
    return list(latest.values())


def _held(citizen: Citizen, since: date, before: date) -> list[dict[str, Any]]:
    out = []
    for h in citizen.conversations:
        if since <= h.held_on < before:
            row: dict[str, Any] = {"date": h.held_on}
            if h.joint:
                row["joint"] = True
            if str(h.kind) != "conversation":
                row["kind"] = str(h.kind)
            if str(h.holder) != "jobcentre":
                row["holder"] = str(h.holder)
            out.append(row)
    return out


def _durations(session: Session, today: date) -> dict[str, float]:
    ended: dict[str, list[int]] = defaultdict(list)
    for group, start, end in session.execute(
        select(Programme.target_group, Programme.start_date, Programme.end_date).where(
            Programme.end_date.is_not(None), Programme.end_date <= today
        )
    ):
        if end is not None:
            ended[group].append(max(1, (end - start).days))
    return {g: round(statistics.fmean(d) / 7, 2) for g, d in ended.items()}


def _remaining_end(start: date, mean_weeks: float, rank: int, count: int) -> date:
    """The (rank + ½)/count quantile of an exponential of mean ``mean_weeks``, from ``start``."""
    q = (rank + 0.5) / count
    return start + timedelta(days=max(7, int(-math.log(1 - q) * mean_weeks * 7)))


def citizens_and_groups(
    session: Session, settings: Settings, live: _Live, rule_set: RuleSet, today: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    start = scenario_start(today)
    known = {str(g) for g in rule_set.groups}
    weeks = settings.whatif.inflow_weeks
    since = week_monday(today) - timedelta(weeks=weeks)
    starts: dict[str, Counter[str]] = defaultdict(Counter)
    ages: dict[str, list[int]] = defaultdict(list)
    for group, unit_id, begun, birth in session.execute(
        select(Programme.target_group, Citizen.unit_id, Programme.start_date, Citizen.birth_date)
        .join(Citizen, Citizen.id == Programme.citizen_id)
        .where(Programme.start_date >= since, Programme.start_date < week_monday(today))
    ):
        if group in known and unit_id in live.unit_codes:
            starts[group][live.unit_codes[unit_id]] += 1
            ages[group].append(_age(birth, begun))
    durations = _durations(session, today)
    types = self_booking_types(session)
    per_group: dict[str, list[tuple[Programme, float, str]]] = defaultdict(list)
    for prog in _active(session, today):
        cit = prog.citizen
        if prog.target_group in known and cit.unit_id in live.unit_codes:
            show = show_estimate(cit, prog.target_group, settings)
            per_group[prog.target_group].append((prog, show, types.get(cit.id, "early")))
    citizens = _fixed(live, per_group, durations, start, today)
    groups = []
    for group in sorted(set(starts) | set(per_group)):
        shows = [show for _, show, _ in per_group[group]]
        fit = beta_fit(shows)
        table: dict[str, Any] = {
            "id": group,
            "starts_per_week": round(sum(starts[group].values()) / weeks, 3),
            "show": (
                {"alpha": fit[0], "beta": fit[1]}
                if fit
                else {"fixed": round(settings.callin.prior_for(group), 4)}
            ),
        }
        kinds = Counter(kind for _, _, kind in per_group[group])
        table["self_booking"] = dict(sorted(kinds.items())) if kinds else {"early": 1}
        if starts[group]:
            table["units"] = dict(sorted(starts[group].items()))
        if group in durations:
            table["duration_weeks"] = durations[group]
        if ages[group]:
            table["age"] = {"min": max(0, min(ages[group])), "max": max(ages[group])}
        groups.append(table)
    return groups, citizens


def _fixed(
    live: _Live,
    per_group: dict[str, list[tuple[Programme, float, str]]],
    durations: dict[str, float],
    start: date,
    today: date,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    rows = [(g, i, row) for g, items in sorted(per_group.items()) for i, row in enumerate(items)]
    rows.sort(key=lambda r: r[2][0].citizen_id)
    by_unit: Counter[str] = Counter()
    for n, (group, rank, (prog, show, kind)) in enumerate(rows, start=1):
        cit = prog.citizen
        unit = live.unit_codes[cit.unit_id]
        cw = live.cw_ids.get(cit.caseworker_id or -1)
        if cw is None or not cw.startswith(f"{unit}-"):  # none, inactive or of another unit
            size = next(len(cws) for u, cws in live.units if u.code == unit)
            cw = f"{unit}-{by_unit[unit] % size + 1}"
            by_unit[unit] += 1
        row: dict[str, Any] = {
            "id": f"c{n}",
            "group": group,
            "unit": unit,
            "caseworker": cw,
            "start": prog.start_date,
            "show": round(show, 4),
            "self_booking": kind,
            "birth_date": cit.birth_date.replace(day=1),
        }
        if prog.end_date is not None:
            row["end"] = prog.end_date
        elif group in durations:
            row["end"] = max(
                _remaining_end(start, durations[group], rank, len(per_group[group])),
                prog.start_date + timedelta(days=7),
            )
        held = _held(cit, prog.start_date, today + timedelta(days=1))
        if held:
            row["held"] = held
        out.append(row)
    return out
