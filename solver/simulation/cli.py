"""Monte-Carlo simulation of booking policies, week after week, with no-shows.

    python -m solver.simulate SCENARIO --weeks 26 --seeds 20 [--policies today,edf,solver,
        clairvoyant] [--json OUT] [--plot OUT.svg] [--check] [--jobs N]

Each seed is one draw of the world (inflow, show probabilities, show outcomes per attempt,
self-booking behaviour, rebook delays, sick days); every policy runs on that same draw (common
random numbers, see `draws`). The scenario file format is documented in
`scenarios/README.md`. Pure Python: never imports the web application.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Iterator
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

from ..problem import no_cycle_collection
from .policies import POLICIES
from .population import forget_programmes, population
from .report import summarise, svg_plot, table
from .run import RunResult, World
from .scenario import load_scenario, resolve_rule_set
from .types import Scenario, ScenarioError

DEFAULT_POLICIES = ("today", "edf", "solver", "clairvoyant")


def run_seed(scenario: Scenario, seed: int, weeks: int,
             policies: tuple[str, ...] = DEFAULT_POLICIES,
             check_plans: bool = False) -> dict[str, RunResult]:
    """Every policy on one seed's world; the population is drawn once and shared."""
    with no_cycle_collection():
        rule_set = resolve_rule_set(scenario)
        forget_programmes()  # another seed's citizens are not this one's
        specs = population(scenario, rule_set, seed, scenario.warmup_weeks + weeks)
        out = {}
        for name in policies:
            world = World(scenario, rule_set, seed, weeks, specs, POLICIES[name](), check_plans)
            out[name] = world.run()
        return out


def _job(args: tuple[Scenario, int, int, tuple[str, ...], bool]) -> dict[str, dict[str, Any]]:
    runs = run_seed(*args)
    return {name: r.to_json() for name, r in runs.items()}


def run(scenario: Scenario, seeds: list[int], weeks: int,
        policies: tuple[str, ...] = DEFAULT_POLICIES, check_plans: bool = False,
        jobs: int = 1, pool: Pool | None = None) -> dict[str, list[dict[str, Any]]]:
    """Per policy, one result per seed (seed order), as plain JSON-able dicts; the seeds run
    in `pool`, else in `jobs` processes of their own."""
    tasks = [(scenario, s, weeks, policies, check_plans) for s in seeds]
    if pool is not None:
        per_seed = pool.map(_job, tasks, chunksize=1)
    else:
        with _processes(jobs, len(seeds)) as own:
            per_seed = own.map(_job, tasks, chunksize=1) if own else [_job(t) for t in tasks]
    return {name: [r[name] for r in per_seed] for name in policies}


@contextlib.contextmanager
def _processes(jobs: int, tasks: int) -> Iterator[Pool | None]:
    """A pool of `jobs` forked processes (at most one per task), or None for one process."""
    if jobs > 1 and tasks > 1 and "fork" in mp.get_all_start_methods():
        with seed_pool(min(jobs, tasks)) as pool:
            yield pool
    else:
        yield None


def seed_pool(workers: int) -> Pool:
    """Forked processes that each run one task and exit, the cyclic garbage collector off: a
    Copenhagen seed leaves about 300 000 objects in reference cycles (citizen and need, seat and
    need), and collecting them took about 6 % of the seed; a process that exits hands them back
    at once."""
    return mp.get_context("fork").Pool(workers, initializer=gc.disable, maxtasksperchild=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m solver.simulate",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("scenario", help="scenario file (TOML), see scenarios/README.md")
    parser.add_argument("--weeks", type=int, default=26, help="measured weeks (default 26)")
    parser.add_argument("--seeds", type=int, default=20, help="number of seeds (default 20)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--policies", default=",".join(DEFAULT_POLICIES),
                        help=f"comma-separated, from {', '.join(POLICIES)}")
    parser.add_argument("--json", help="write the figures here as JSON")
    parser.add_argument("--plot", help="write the weekly on-time plot here (SVG)")
    parser.add_argument("--check", action="store_true",
                        help="check every plan of every policy with solver.check (slower)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes, one seed each (default: all cores)")
    args = parser.parse_args(argv)
    try:
        scenario = load_scenario(args.scenario)
        resolve_rule_set(scenario)
    except (ScenarioError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    policies = tuple(p.strip() for p in args.policies.split(",") if p.strip())
    unknown = [p for p in policies if p not in POLICIES]
    if unknown or not policies:
        print(f"unknown policies: {', '.join(unknown) or '(none given)'}", file=sys.stderr)
        return 2
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    t0 = time.perf_counter()
    with _processes(args.jobs, len(seeds)) as pool:  # the policies' calibrations too
        runs = run(scenario, seeds, args.weeks, policies, args.check, args.jobs, pool)
        summary = summarise(scenario, runs, args.weeks, seeds, pool.map if pool else map)
    summary["wall_seconds"] = round(time.perf_counter() - t0, 1)
    print(table(summary))
    broken = [line for rs in runs.values() for r in rs for line in r["broken"]]
    if args.check:
        checked = sum(r["plans_checked"] for rs in runs.values() for r in rs)
        print(f"\nsolver.check: {checked} plans checked, {len(broken)} broken rules")
        for line in broken[:20]:
            print("  " + line)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    if args.plot:
        Path(args.plot).write_text(svg_plot(summary), encoding="utf-8")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
