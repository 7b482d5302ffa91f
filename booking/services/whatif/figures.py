"""The figures of a what-if from its seeds' raw results (`RunResult.to_json`): on time overall,
week by week, per unit and per target group, each a mean across seeds with its 95 % interval
(`solver.simulation.report.ci`, Student t), for the simulation's `solver` policy and, for
reference, `today`'s practice (first-come self-booking)."""

from __future__ import annotations

from typing import Any

from solver.simulation.report import ci

POLICIES = ("solver", "today")  # the policy compared, and today's practice for reference


def _share(on_time: float, due: float) -> float:
    return on_time / due if due else 1.0


def _ci(values: list[float]) -> dict[str, float]:
    c = ci(values)
    return {k: round(float(v), 5) for k, v in c.items()}


def policy_figures(runs: list[dict[str, Any]], weeks: int) -> dict[str, Any]:
    groups = sorted({g for r in runs for g in r["due"]})
    units = sorted({u for r in runs for u in r["unit_due"]})
    return {
        "all": _ci([_share(sum(r["on_time"].values()), sum(r["due"].values())) for r in runs]),
        "due_per_run": round(sum(sum(r["due"].values()) for r in runs) / len(runs), 1),
        "weekly": [
            _ci([_share(r["weekly_on_time"][w], r["weekly_due"][w]) for r in runs])
            for w in range(weeks)
        ],
        "weekly_due": [
            round(sum(r["weekly_due"][w] for r in runs) / len(runs), 1) for w in range(weeks)
        ],
        "groups": {
            g: {
                **_ci([_share(r["on_time"].get(g, 0), r["due"].get(g, 0)) for r in runs]),
                "due": round(sum(r["due"].get(g, 0) for r in runs) / len(runs), 1),
            }
            for g in groups
        },
        "units": {
            u: {
                **_ci([_share(r["unit_on_time"].get(u, 0), r["unit_due"].get(u, 0)) for r in runs]),
                "due": round(sum(r["unit_due"].get(u, 0) for r in runs) / len(runs), 1),
            }
            for u in units
        },
        "utilisation": _ci([_share(r["held"], r["seats"]) for r in runs]),
        "no_show_rate": _ci(
            [_share(r["missed"], r["held"] + r["missed"] + r["turned_away"]) for r in runs]
        ),
        "rehab": _ci([_share(r["rehab_on_time"], r["rehab_due"]) for r in runs]),
        "rehab_due": round(sum(r["rehab_due"] for r in runs) / len(runs), 1),
    }


def summarise(per_seed: list[dict[str, dict[str, Any]]], weeks: int) -> dict[str, Any]:
    """``per_seed``: for each seed, policy name → `RunResult.to_json()`."""
    return {
        "weeks": weeks,
        "seeds": len(per_seed),
        "policies": {
            name: policy_figures([seed[name] for seed in per_seed], weeks)
            for name in POLICIES
            if per_seed and name in per_seed[0]
        },
    }
