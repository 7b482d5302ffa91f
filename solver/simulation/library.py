"""The scenario library: does the solver policy hold on scenarios it was not tuned to?

    python -m solver.simulation.library [--weeks 13] [--seeds 10] [--jobs N] [FILE ...]

Runs every scenario of `scenarios/` (or the files given) with `edf`, `solver` and `clairvoyant`
on the same seeds and prints per file: the load, the mean show probability, each policy's share
on time, solver − edf paired by seed with its 95 % interval, the share of the edf → clairvoyant
gap the solver closes and the most any policy that does not know who will come could close
(`ceil`: up to the conversations late under every such policy, `floor`), and the citizens who
came but were turned away as a share of arrivals. Per half, the mean gap closed, the mean
ceiling and their ratio: the share of the closable gap closed.
The files are split in two halves: `TUNING`, on which the `[policy]` parameters may be chosen,
and the held-out rest, reported separately (`scenarios/README.md`). Exit status 1 when a file
misses a target: solver − edf with its interval above zero, turned away ≤ 1 % of arrivals; and
on average per half, ≥ 50 % of the gap closed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from .cli import run
from .report import summarise
from .scenario import load_scenario, resolve_rule_set
from .types import ScenarioError

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
#: the half on which the solver policy's parameters were chosen; the others are held out
TUNING = ("copenhagen", "small", "reform2026", "lab2024-overload")
NOT_IN_LIBRARY = ("tiny-hand",)  # a hand-computed teaching file, not a job centre
POLICIES = ("edf", "solver", "clairvoyant")
GAP_TARGET, TURNED_AWAY_TARGET = 0.5, 0.01


def library_files() -> list[Path]:
    return [p for p in sorted(SCENARIOS.glob("*.toml")) if p.stem not in NOT_IN_LIBRARY]


def evaluate(path: Path, seeds: list[int], weeks: int, jobs: int) -> dict[str, Any]:
    """One file's figures (see the module docstring)."""
    scenario = load_scenario(path)
    resolve_rule_set(scenario)
    t0 = time.perf_counter()
    summary = summarise(scenario, run(scenario, seeds, weeks, POLICIES, False, jobs), weeks,
                        seeds)
    pol, comp = summary["policies"], summary["comparisons"]
    diff = comp["solver_minus_edf_pp"]
    return {"file": path.name, "half": "tuning" if scenario.name in TUNING else "held out",
            "load": summary["load"]["demand_over_capacity"],
            "show": summary["load"]["mean_show_probability"],
            "on_time": {name: pol[name]["on_time"]["all"]["mean"] for name in POLICIES},
            "solver_minus_edf_pp": diff, "gap_closed": comp["gap_closed"],
            "gap_ceiling": comp["gap_ceiling"],
            "turned_away_share": pol["solver"]["turned_away_share"]["mean"],
            "seconds": round(time.perf_counter() - t0, 1)}


def verdicts(row: dict[str, Any]) -> list[str]:
    out = []
    if not row["solver_minus_edf_pp"]["lo"] > 0:
        out.append("solver-edf interval not above 0")
    if row["turned_away_share"] > TURNED_AWAY_TARGET:
        out.append(f"turned away > {100 * TURNED_AWAY_TARGET:.0f} %")
    return out


def table(rows: list[dict[str, Any]]) -> str:
    head = (f"{'file':<28}{'half':<10}{'load':>6}{'show':>6}{'edf %':>8}{'solver %':>9}"
            f"{'clairv %':>9}  {'solver-edf pp [95 %]':<22}{'gap':>6}{'ceil':>6}{'away %':>8}"
            "  verdict")
    lines = [head, "-" * len(head)]
    for half in ("tuning", "held out"):
        part = [r for r in rows if r["half"] == half]
        for r in part:
            d, o = r["solver_minus_edf_pp"], r["on_time"]
            lines.append(
                f"{r['file']:<28}{half:<10}{r['load']:>6.2f}{r['show']:>6.2f}"
                f"{100 * o['edf']:>8.1f}{100 * o['solver']:>9.1f}{100 * o['clairvoyant']:>9.1f}"
                f"  {d['mean']:+5.1f} [{d['lo']:+5.1f}, {d['hi']:+5.1f}]     "
                f"{100 * r['gap_closed']:>5.0f}%{100 * r['gap_ceiling']:>5.0f}%"
                f"{100 * r['turned_away_share']:>7.2f}%  "
                f"{'; '.join(verdicts(r)) or 'ok'}")
        if part:
            gap, ceiling = half_means(part)
            closable = f"{100 * gap / ceiling:.0f} %" if ceiling > 0 else "-"
            lines.append(f"{'  mean gap closed, ' + half:<38}{100 * gap:>5.0f} % "
                         f"({'reached' if gap >= GAP_TARGET else 'NOT reached'}: target "
                         f"{100 * GAP_TARGET:.0f} %; at most {100 * ceiling:.0f} % for any "
                         f"policy without foresight, of which {closable} closed)")
    return "\n".join(lines)


def half_means(part: list[dict[str, Any]]) -> tuple[float, float]:
    """The mean share of the gap closed over the files of a half, and the mean ceiling (the
    most any policy without foresight could close); their ratio is the share of the closable
    gap closed."""
    return (sum(r["gap_closed"] for r in part) / len(part),
            sum(r["gap_ceiling"] for r in part) / len(part))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m solver.simulation.library",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", help="scenario files (default: the library)")
    parser.add_argument("--weeks", type=int, default=13)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    files = [Path(f) for f in args.files] or library_files()
    seeds = list(range(1, args.seeds + 1))
    rows = []
    t0 = time.perf_counter()
    for path in files:
        try:
            rows.append(evaluate(path, seeds, args.weeks, args.jobs))
        except (ScenarioError, ValueError, OSError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 2
        print(f"{path.name}: {rows[-1]['seconds']} s", file=sys.stderr, flush=True)
    print(f"scenario library: {len(rows)} files, {args.weeks} weeks, {args.seeds} seeds "
          f"(95 % intervals across seeds, paired by seed)\n")
    print(table(rows))
    print(f"\nwall time {time.perf_counter() - t0:.1f} s")
    halves = {r["half"] for r in rows}
    gap_ok = all(sum(r["gap_closed"] for r in rows if r["half"] == h)
                 / max(1, sum(1 for r in rows if r["half"] == h)) >= GAP_TARGET for h in halves)
    return 0 if gap_ok and not any(verdicts(r) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
