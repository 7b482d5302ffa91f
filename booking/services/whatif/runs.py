"""What-if runs: made from the live state with the planner's changes (checked before anything
is stored), simulated seed by seed in the background (progress after each seed), compared.

The export and the simulation take seconds to minutes, so they run with no write transaction
open; each write (the new run, the progress, the figures) is a short transaction of its own.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import tomli_w
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from solver.simulation.cli import run_seed, seed_pool
from solver.simulation.scenario import parse_scenario, resolve_rule_set
from solver.simulation.types import Scenario

from ...database import end_read, transaction
from ...models import ActorKind, Unit, WhatIfRun, utcnow
from ...rules import load_rule_set
from ...settings import Settings
from .. import audit
from ..errors import FormErrors, NotFound, ServiceError
from .changes import Changes, UnitChange, UnitToday, apply, problems, rehab_today, units_today
from .export import export_live, export_units
from .figures import POLICIES, summarise

log = logging.getLogger(__name__)
NAME_MAX = 120


@dataclass(frozen=True)
class FormPage:
    units: list[UnitToday]
    rehab_meetings: int
    rehab_capacity: int
    runs: list[WhatIfRun]
    seeds: int
    weeks: int
    unit_names: dict[str, str]  # unit code -> name


def form_page(session: Session, settings: Settings, today: date) -> FormPage:
    """The units as they are today (the form's starting values) and the stored what-ifs."""
    live = export_units(session, settings, today)
    meetings, capacity = rehab_today(live)
    return FormPage(
        units_today(live),
        meetings,
        capacity,
        listing(session),
        settings.whatif.seeds,
        settings.whatif.weeks,
        _unit_names(session),
    )


def _unit_names(session: Session) -> dict[str, str]:
    return {code: name for code, name in session.execute(select(Unit.code, Unit.name))}


def scenario_text(session: Session, settings: Settings, today: date) -> str:
    """The live state as a scenario file (`flask --app booking scenario export`)."""
    return tomli_w.dumps(export_live(session, settings, today))


def check_scenario(text: str) -> Scenario:
    """The simulation's own check of a scenario file (rule set included)."""
    scenario = parse_scenario(tomllib.loads(text), "whatif.toml")
    resolve_rule_set(scenario)
    return scenario


def new_whatif(
    session: Session,
    settings: Settings,
    name: str,
    changes: Changes,
    *,
    staff_id: int | None,
    today: date,
) -> WhatIfRun:
    """Check the changes against the live units and store the what-if, committed and queued;
    :class:`FormErrors` (codes per field) when it cannot be simulated: nothing stored then.
    The caller starts the background job once this returns; the job exports the live state
    (seconds for a large job centre: never inside a web request)."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise FormErrors({"name": ServiceError("name_required", most=NAME_MAX)})
    found = problems(export_units(session, settings, today), changes)
    if found:
        raise FormErrors(found)
    end_read(session)
    with transaction(session):
        run = WhatIfRun(
            name=name,
            changes={**changes.to_json(), "today": today.isoformat()},
            scenario="",
            state="queued",
            seeds_total=settings.whatif.seeds,
            seeds_done=0,
            weeks=settings.whatif.weeks,
            created_by_staff_id=staff_id,
        )
        session.add(run)
        session.flush()
        audit.record(
            session,
            actor_kind=ActorKind.staff,
            actor_id=staff_id,
            action="whatif_created",
            object_type="whatif_run",
            object_id=run.id,
        )
    return run


def _seed_job(args: tuple[Scenario, int, int]) -> dict[str, dict[str, Any]]:
    """One seed, every policy of `figures.POLICIES`; ``cpu``: the seed's processor seconds."""
    scenario, seed, weeks = args
    started = time.process_time()
    runs = run_seed(scenario, seed, weeks, POLICIES)
    out = {name: r.to_json() for name, r in runs.items()}
    out["cpu"] = {"seconds": time.process_time() - started}
    return out


def simulate(
    scenario: Scenario, seeds: int, weeks: int, jobs: int
) -> Iterator[dict[str, dict[str, Any]]]:
    """Each seed's results (seeds 1 … ``seeds``) as they finish; ``jobs`` processes."""
    tasks = [(scenario, seed, weeks) for seed in range(1, seeds + 1)]
    if jobs > 1 and seeds > 1 and "fork" in mp.get_all_start_methods():
        with seed_pool(min(jobs, seeds)) as pool:
            yield from pool.imap_unordered(_seed_job, tasks)
    else:
        for task in tasks:
            yield _seed_job(task)


def _scenario_of(
    session: Session, settings: Settings, name: str, data: dict[str, Any]
) -> tuple[str, Scenario]:
    """The live state of the what-if's day with its changes, checked by the simulation."""
    changes = Changes(
        tuple(UnitChange(**u) for u in data["units"]),
        data["rehab_meetings"],
        data["rehab_capacity"],
    )
    live = export_live(session, settings, date.fromisoformat(data["today"]))
    end_read(session)
    text = tomli_w.dumps(apply(live, changes, name))
    return text, check_scenario(text)


def jobs_for(settings: Settings) -> int:
    return settings.whatif.jobs or os.cpu_count() or 1


def execute(
    sessions: Callable[[], Session], run_id: int, settings: Settings
) -> dict[str, Any] | None:
    """Simulate a queued what-if, storing progress after each seed and the figures at the end;
    a failure is kept on the run (state ``failed``). A run not queued is left as it is."""
    with sessions() as side:
        with transaction(side):
            run = side.get(WhatIfRun, run_id)
            if run is None or run.state != "queued":
                return None
            run.state = "running"
            name, changes, seeds, weeks = run.name, run.changes, run.seeds_total, run.weeks
        try:
            started = time.perf_counter()
            text, scenario = _scenario_of(side, settings, name, changes)
            with transaction(side):
                side.execute(update(WhatIfRun).where(WhatIfRun.id == run_id).values(scenario=text))
            per_seed = []
            for result in simulate(scenario, seeds, weeks, jobs_for(settings)):
                per_seed.append(result)
                with transaction(side):
                    side.execute(
                        update(WhatIfRun)
                        .where(WhatIfRun.id == run_id)
                        .values(seeds_done=len(per_seed))
                    )
            figures = summarise(per_seed, weeks)
            figures["wall_seconds"] = round(time.perf_counter() - started, 1)
            figures["rule_set"] = scenario.rule_set
            first = scenario.start + timedelta(weeks=scenario.warmup_weeks)
            figures["week_starts"] = [
                (first + timedelta(weeks=w)).isoformat() for w in range(weeks)
            ]
            values: dict[str, Any] = {"state": "done", "result": figures}
        except Exception as exc:  # noqa: BLE001 - kept on the run for the planner to see
            log.exception("what-if %s failed", run_id)
            figures, values = None, {"state": "failed", "error": str(exc)[:1000]}
        with transaction(side):
            side.execute(
                update(WhatIfRun)
                .where(WhatIfRun.id == run_id)
                .values(finished_at=utcnow(), **values)
            )
    return figures


def listing(session: Session) -> list[WhatIfRun]:
    return list(session.scalars(select(WhatIfRun).order_by(WhatIfRun.created_at, WhatIfRun.id)))


def progress(session: Session, run_id: int) -> dict[str, Any]:
    run = session.get(WhatIfRun, run_id, populate_existing=True)  # the job writes elsewhere
    if run is None:
        raise NotFound("whatif_run")
    return {
        "state": run.state,
        "seeds_done": run.seeds_done,
        "seeds_total": run.seeds_total,
        "finished": run.state in ("done", "failed"),
    }


def chosen(session: Session, ids: Sequence[int]) -> list[WhatIfRun]:
    """The what-ifs asked for, in the order asked; :class:`NotFound` if any is missing."""
    query = select(WhatIfRun).where(WhatIfRun.id.in_(ids))
    found = {r.id: r for r in session.scalars(query.execution_options(populate_existing=True))}
    picked = [found[i] for i in ids if i in found]
    if not ids or len(picked) != len(set(ids)):
        raise NotFound("whatif_run")
    return picked


@dataclass(frozen=True)
class ComparePage:
    runs: list[WhatIfRun]
    pending: list[WhatIfRun]
    unit_names: dict[str, str]  # unit code -> name
    group_labels: dict[str, tuple[str, str]]  # target group -> (Danish, English)
    week_starts: list[date] = field(default_factory=list)  # the first finished run's weeks


def compare_page(session: Session, ids: Sequence[int]) -> ComparePage:
    """The what-ifs asked for (:class:`NotFound` if any is missing), the units' names and the
    target groups' labels (from the rule set each was simulated under)."""
    runs = chosen(session, ids)
    names = _unit_names(session)
    labels: dict[str, tuple[str, str]] = {}
    for rule_set_id in {(r.result or {}).get("rule_set") for r in runs} - {None}:
        try:
            rule_set = load_rule_set(str(rule_set_id))
        except ValueError:
            continue
        for group, rules in rule_set.groups.items():
            labels.setdefault(str(group), (rules.label_da, rules.label_en))
    starts = next(
        (
            [date.fromisoformat(str(d)) for d in r.result.get("week_starts") or []]
            for r in runs
            if r.state == "done" and r.result
        ),
        [],
    )
    pending = [r for r in runs if r.state not in ("done", "failed")]
    return ComparePage(runs, pending, names, labels, starts)
