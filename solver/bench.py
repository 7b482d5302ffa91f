"""Benchmark: `python -m solver.bench [--size S|M|L|rehab|parse|all] [--seed N]`.

Each size runs in a fresh child process so that its peak memory is its own. Peak memory is
`resource.getrusage(...).ru_maxrss` (peak resident set size), the larger of the child itself
and its forked worker processes (RUSAGE_SELF, RUSAGE_CHILDREN). Times are wall-clock:
`build` = index + network construction, `flow` = min-cost/max-flow solving (both summed over
components and worker processes), `total` = the whole `solve()` call on 2 workers.

`parse` writes the city-sized instance (shape L, about 30 MB of JSON) to a file and times what
`python -m solver solve` does with it before solving: read and parse the JSON (`json`), then
validate every value and reference into typed problem data (`validate`, `load_problem`:
pydantic plus the checks between lists). Its budget is `PARSE_BUDGET_S` in all.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

from .api import SolverSettings, solve
from .check import check
from .generate import SHAPES, Shape, generate
from .problem import load_problem

SIZES = ["S", "M", "L", "rehab", "parse"]
PARSE_SHAPE = "L"  # about 30 MB of JSON
PARSE_BUDGET_S = 10.0


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024  # Linux reports KiB


def run_size(size: str, seed: int, workers: int) -> dict[str, Any]:
    if size == "parse":
        return run_parse(seed)
    shape: Shape = SHAPES[size]
    data = generate(shape, seed)
    t0 = time.perf_counter()
    problem = load_problem(data)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    solution = solve(problem, SolverSettings(time_limit_s=120, num_workers=workers))
    total = time.perf_counter() - t0
    broken = check(problem, solution)
    st = solution.stats
    ontime, bound = st["on_time_weight"], st["upper_bound_on_time_weight"]
    return {"size": size, "conversations": len(problem.conversations),
            "slots": len(problem.slots), "cases": len(problem.rehab_cases),
            "meetings": len(problem.rehab_meetings),
            "pairs": int(st.get("flow_candidate_pairs", 0)),
            "load_s": t_load, "build_s": st.get("flow_build_seconds", 0.0),
            "flow_s": st.get("flow_flow_seconds", 0.0), "total_s": total,
            "peak_mb": _peak_mb(), "on_time": ontime, "bound": bound,
            "gap": (bound - ontime) / bound if bound else 0.0, "status": solution.status,
            "broken": len(broken)}


def run_parse(seed: int, shape: str = PARSE_SHAPE) -> dict[str, Any]:
    data = generate(SHAPES[shape], seed)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(data, f)
        path = f.name
    del data
    try:
        size_mb = os.path.getsize(path) / 1e6
        t0 = time.perf_counter()
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
        t_json = time.perf_counter() - t0
        problem = load_problem(raw)
        total = time.perf_counter() - t0
    finally:
        os.unlink(path)
    return {"size": "parse", "mb": size_mb, "json_s": t_json, "validate_s": total - t_json,
            "total_s": total, "conversations": len(problem.conversations),
            "slots": len(problem.slots), "peak_mb": _peak_mb()}


def _table(rows: list[dict[str, Any]]) -> str:
    head = (f"{'size':<6} {'convs':>7} {'slots':>7} {'pairs':>9} {'load s':>7} {'build s':>8} "
            f"{'flow s':>7} {'total s':>8} {'peak MB':>8} {'on-time':>8} {'bound':>8} "
            f"{'gap %':>7} status")
    lines = [head, "-" * len(head)]
    for r in rows:
        if r["size"] == "parse":
            continue
        items = r["cases"] if r["size"] == "rehab" else r["conversations"]
        places = r["meetings"] if r["size"] == "rehab" else r["slots"]
        lines.append(
            f"{r['size']:<6} {items:>7} {places:>7} {r['pairs']:>9} {r['load_s']:>7.2f} "
            f"{r['build_s']:>8.2f} {r['flow_s']:>7.2f} {r['total_s']:>8.2f} "
            f"{r['peak_mb']:>8.0f} {r['on_time']:>8} {r['bound']:>8} {100 * r['gap']:>7.3f} "
            f"{r['status']}" + ("" if r["broken"] == 0 else f" BROKEN RULES: {r['broken']}"))
    for r in rows:
        if r["size"] == "parse":
            lines.append(f"parse: {r['mb']:.1f} MB instance ({r['conversations']} conversations, "
                         f"{r['slots']} slots): json {r['json_s']:.2f} s + validate "
                         f"{r['validate_s']:.2f} s = {r['total_s']:.2f} s "
                         f"({'within' if r['total_s'] <= PARSE_BUDGET_S else 'OVER'} the "
                         f"{PARSE_BUDGET_S:.0f} s budget), peak {r['peak_mb']:.0f} MB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m solver.bench")
    parser.add_argument("--size", default="all", choices=[*SIZES, "all"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_size(args.size, args.seed, args.workers)))
        return 0
    sizes = SIZES if args.size == "all" else [args.size]
    rows = []
    for size in sizes:
        cmd = [sys.executable, "-m", "solver.bench", "--child", "--size", size,
               "--seed", str(args.seed), "--workers", str(args.workers)]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{size}: failed\n{out.stderr[-3000:]}", file=sys.stderr)
            return 1
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"done {size}", file=sys.stderr)
    print(_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
