"""Figures across seeds: means with 95 % confidence intervals, the text table, the SVG plot.

Confidence intervals are across seeds: mean ± t(0.975, n−1) · s / √n (Student t, one value per
seed and policy). Differences between two policies are paired by seed (common random numbers),
so their intervals are those of the per-seed differences.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from ..chart import Series, line_chart
from .calibration import calibration, calibration_lines

#: Student t quantiles t(0.975, df), exact to three decimals for df 1-30, then some larger df
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
        17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
        25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
        120: 1.980}
Mapper = Callable[[Callable[[Any], dict[str, Any]], Iterable[Any]], Iterable[dict[str, Any]]]
COLOURS = {"today": "#c0392b", "edf": "#b35900", "solver": "#2471a3", "clairvoyant": "#6c7a7b"}
DASHES = {"today": "7 4", "edf": "2 3", "clairvoyant": "9 3 2 3"}  # solver: solid


def t975(df: int) -> float:
    """t(0.975, df); between tabulated df the next lower one (a wider, safe interval)."""
    if df <= 0:
        return float("nan")
    return T975[max(k for k in T975 if k <= df)]


def ci(values: list[float]) -> dict[str, float]:
    n = len(values)
    mean = sum(values) / n if n else float("nan")
    if n < 2:
        return {"mean": mean, "lo": mean, "hi": mean, "n": n}
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t975(n - 1) * sd / math.sqrt(n)
    return {"mean": mean, "lo": mean - half, "hi": mean + half, "n": n}


def _share(a: float, b: float) -> float:
    return a / b if b else 1.0


def summarise(scenario: Any, runs: dict[str, list[dict[str, Any]]], weeks: int,
              seeds: list[int], mapper: Mapper = map) -> dict[str, Any]:
    """The figures across seeds; `mapper` computes the policies' calibrations (a process
    pool's `map` computes them side by side)."""
    groups = sorted({g for rs in runs.values() for r in rs for g in r["due"]})
    calibrations = dict(zip(runs, mapper(calibration, [
        [x for r in rs for x in r["calibration"]] for rs in runs.values()]), strict=True))
    out: dict[str, Any] = {"scenario": scenario.name, "weeks": weeks, "seeds": seeds,
                           "confidence_interval": "95 %, across seeds, Student t (n-1 df)",
                           "policies": {}}
    per_seed_all: dict[str, list[float]] = {}
    for name, rs in runs.items():
        all_share = [_share(sum(r["on_time"].values()), sum(r["due"].values())) for r in rs]
        per_seed_all[name] = all_share
        attempts = [r["held"] + r["missed"] + r["turned_away"] for r in rs]
        replans = [x for r in rs for x in r["replan_seconds"]]
        weekly = [x for r in rs for x in r["plan_seconds"]]
        out["policies"][name] = {
            "on_time": {"all": ci(all_share), **{
                g: ci([_share(r["on_time"].get(g, 0), r["due"].get(g, 0)) for r in rs])
                for g in groups}},
            "due_per_run": ci([sum(r["due"].values()) for r in rs])["mean"],
            "rehab_on_time": ci([_share(r["rehab_on_time"], r["rehab_due"]) for r in rs]),
            "rehab_due_per_run": ci([r["rehab_due"] for r in rs])["mean"],
            "utilisation": ci([_share(r["held"], r["seats"]) for r in rs]),
            "no_show_rate": ci([_share(r["missed"], a) for r, a in zip(rs, attempts,
                                                                        strict=True)]),
            "late_days": ci([r["late_days"] for r in rs]),
            "rehab_late_days": ci([r["rehab_late_days"] for r in rs]),
            "turned_away": ci([r["turned_away"] for r in rs])["mean"],
            "turned_away_share": ci([_share(r["turned_away"], r["held"] + r["turned_away"])
                                     if r["held"] + r["turned_away"] else 0.0 for r in rs]),
            "sick_cancelled": ci([r["sick_cancelled"] for r in rs])["mean"],
            "plan_seconds_per_week": {"mean": _mean(weekly), "max": max(weekly, default=0.0)},
            "replan_seconds": {"mean": _mean(replans), "max": max(replans, default=0.0),
                               "count": len(replans)},
            "weekly_on_time": [
                _mean([_share(r["weekly_on_time"][w], r["weekly_due"][w]) for r in rs])
                for w in range(weeks)],
            "weekly_on_time_ci": [
                ci([_share(r["weekly_on_time"][w], r["weekly_due"][w]) for r in rs])
                for w in range(weeks)],
            "show_calibration": calibrations[name],
            "plans_checked": sum(r["plans_checked"] for r in rs),
            "broken_rules": sum(len(r["broken"]) for r in rs),
            # late under every policy without foresight (`floor`), as a share of those due
            "floor_late": ci([_share(r["floor_late"], sum(r["due"].values())) for r in rs]),
            "floor_on_time": sum(r["floor_on_time"] for r in rs),
            "bound_by_floor": name != "clairvoyant",  # the reference skips the misses
        }
    first = next(iter(runs.values()))
    out["load"] = {
        "demand_over_capacity": ci([r["expected_attempts"] / max(1, r["seats"])
                                    for r in first])["mean"],
        "conversations_due_over_capacity": ci([sum(r["due"].values()) / max(1, r["seats"])
                                               for r in first])["mean"],
        "mean_show_probability": ci([r["mean_show"] for r in first])["mean"],
    }
    comp: dict[str, Any] = {}
    if "solver" in runs and "today" in runs:
        comp["solver_minus_today_pp"] = ci([100 * (a - b) for a, b in zip(
            per_seed_all["solver"], per_seed_all["today"], strict=True)])
    if {"solver", "edf", "clairvoyant"} <= set(runs):
        s, e, c = (_mean(per_seed_all[k]) for k in ("solver", "edf", "clairvoyant"))
        comp["gap_closed"] = (s - e) / (c - e) if c > e else float("nan")
        # what any policy without foresight could close at most: up to the solver's floor
        best = 1 - out["policies"]["solver"]["floor_late"]["mean"]
        comp["gap_ceiling"] = min(1.0, (best - e) / (c - e)) if c > e else float("nan")
        comp["solver_minus_edf_pp"] = ci([100 * (a - b) for a, b in zip(
            per_seed_all["solver"], per_seed_all["edf"], strict=True)])
    if "clairvoyant" in runs:
        comp["clairvoyant_below_a_policy_in_seeds"] = sum(
            1 for name in runs for i in range(len(seeds))
            if per_seed_all["clairvoyant"][i] < per_seed_all[name][i] - 1e-12)
    out["comparisons"] = comp
    return out


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _pct(c: dict[str, float]) -> str:
    return f"{100 * c['mean']:5.1f} [{100 * c['lo']:5.1f}, {100 * c['hi']:5.1f}]"


def table(summary: dict[str, Any]) -> str:
    pol = summary["policies"]
    groups = [g for g in next(iter(pol.values()))["on_time"] if g != "all"]
    load = summary["load"]
    lines = [f"scenario {summary['scenario']}: {summary['weeks']} weeks, "
             f"{len(summary['seeds'])} seeds; demand/capacity {load['demand_over_capacity']:.2f}"
             f" (expected attempts sum(1/p) of the conversations due / seats); mean show"
             f" probability {load['mean_show_probability']:.2f}; 95 % CI across seeds (Student t)",
             ""]
    head = f"{'on time %':<22}" + "".join(f"{name:>24}" for name in pol)
    lines += [head, "-" * len(head)]
    for g in ["all", *groups]:
        lines.append(f"{g:<22}" + "".join(f"{_pct(p['on_time'][g]):>24}" for p in pol.values()))
    lines.append(f"{'rehab cases':<22}" + "".join(f"{_pct(p['rehab_on_time']):>24}"
                                                  for p in pol.values()))
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("utilisation %", lambda p: _pct(p["utilisation"])),
        ("no-shows % attempts", lambda p: _pct(p["no_show_rate"])),
        ("late days (total)", lambda p: f"{p['late_days']['mean']:.0f} ± "
                                        f"{p['late_days']['hi'] - p['late_days']['mean']:.0f}"),
        ("rehab late days", lambda p: f"{p['rehab_late_days']['mean']:.0f}"),
        ("turned away (came)", lambda p: f"{p['turned_away']:.1f}"),
        ("late for any policy %", lambda p: _pct(p["floor_late"]) if p.get("bound_by_floor")
         else "-"),
        ("plan s/week mean|max", lambda p: f"{p['plan_seconds_per_week']['mean']:.2f} | "
                                           f"{p['plan_seconds_per_week']['max']:.2f}"),
        ("re-plan s mean|max", lambda p: (f"{p['replan_seconds']['mean']:.2f} | "
                                          f"{p['replan_seconds']['max']:.2f}")
         if p["replan_seconds"]["count"] else "-"),
    ]
    for label, fmt in rows:
        lines.append(f"{label:<22}" + "".join(f"{fmt(p):>24}" for p in pol.values()))
    comp = summary.get("comparisons", {})
    if "solver_minus_today_pp" in comp:
        c = comp["solver_minus_today_pp"]
        lines.append(f"\nsolver - today: {c['mean']:+.1f} pp [{c['lo']:+.1f}, {c['hi']:+.1f}]"
                     " (paired by seed)")
    if "gap_closed" in comp:
        c = comp["solver_minus_edf_pp"]
        lines.append(f"solver - edf: {c['mean']:+.1f} pp [{c['lo']:+.1f}, {c['hi']:+.1f}]; "
                     f"gap edf -> clairvoyant closed by the solver: "
                     f"{100 * comp['gap_closed']:.0f} %")
    if "gap_ceiling" in comp:
        lines.append("without knowing who will come, no policy can close more than "
                     f"{100 * comp['gap_ceiling']:.0f} % of that gap (row 'late for any policy':"
                     " a first possible attempt missed, the rebooking after the deadline)")
    if "clairvoyant_below_a_policy_in_seeds" in comp:
        lines.append("clairvoyant below a policy (seed, policy pairs): "
                     f"{comp['clairvoyant_below_a_policy_in_seeds']}")
    for name in ("solver", "edf"):
        if name in pol and "show_calibration" in pol[name]:
            lines += ["", *calibration_lines(name, pol[name]["show_calibration"])]
    if "wall_seconds" in summary:
        lines.append(f"wall time {summary['wall_seconds']} s")
    return "\n".join(lines)


def svg_plot(summary: dict[str, Any], width: int = 720, height: int = 360) -> str:
    """Weekly on-time share per policy (mean over seeds), with the solver policy's 95 %
    interval across seeds as a band (`solver.chart`)."""
    pol = summary["policies"]
    weeks, seeds = summary["weeks"], len(summary["seeds"])
    lowest = min((v for p in pol.values() for v in p["weekly_on_time"]), default=0.5)
    series, described = [], []
    for name, p in pol.items():
        overall = p["on_time"]["all"]
        weekly = p.get("weekly_on_time_ci")
        band = None
        if name == "solver" and weekly and seeds > 1:
            band = ([c["lo"] for c in weekly], [c["hi"] for c in weekly])
        series.append(Series(f"{name} {100 * overall['mean']:.1f} %", p["weekly_on_time"],
                             COLOURS.get(name), DASHES.get(name), band))
        described.append(f"{name} {100 * overall['mean']:.1f} % on time overall (95 % CI "
                         f"{100 * overall['lo']:.1f} to {100 * overall['hi']:.1f})")
    return line_chart(
        series, x_labels=[str(w + 1) for w in range(weeks)],
        title=f"{summary['scenario']}: conversations on time per week by deadline "
              f"(mean of {seeds} seeds)",
        description=(f"Share of the conversations due each week that were held on time, "
                     f"weeks 1 to {weeks}, one line per policy: " + "; ".join(described)
                     + (". The shaded band is the solver policy's 95 % interval across seeds."
                        if any(s.band for s in series) else ".")),
        y_min=max(0.0, math.floor(lowest * 10) / 10 - 0.05), y_max=1.0, percent=True,
        width=width, height=height)
