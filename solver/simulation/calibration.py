"""How good the show-probability estimate was: the Brier score and a reliability table.

Every attempt a simulated citizen was booked for (measured weeks) leaves a record: the estimate
the policies planned with just before it (`Attendance.estimate`), the group's prior, the
citizen's drawn (true) probability and whether they came. The Brier score is the mean squared
difference between a forecast and the outcome (0 is perfect); it is given for the estimate, for
the prior alone (what the estimate would be without any history) and for the truth (the best any
estimate can do: the outcome's own noise). The reliability table sorts the records by estimate
into ten groups of equal size (deciles) and shows, per decile, the mean estimate beside the share
who came and the mean true probability: a calibrated estimate keeps the three close.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

Record = Sequence[Any]  # (estimate, prior, truth, came), as JSON gives it back: a list


def _brier(forecasts: list[float], outcomes: list[float]) -> float:
    return sum([(f - o) ** 2 for f, o in zip(forecasts, outcomes, strict=True)]) / len(outcomes)


def calibration(records: list[Record], bins: int = 10) -> dict[str, Any]:
    """Brier scores and the reliability table by decile of the estimate; `n` 0: no attempts."""
    if not records:
        return {"n": 0, "brier": None, "brier_prior": None, "brier_truth": None,
                "mean_abs_error": None, "deciles": []}
    columns = list(zip(*records, strict=True))
    est = list(map(float, columns[0]))
    prior = list(map(float, columns[1]))
    truth = list(map(float, columns[2]))
    came = [1.0 if c else 0.0 for c in columns[3]]
    n = len(records)
    # by estimate, then truth, then record: two stable sorts on one float each
    by_truth = np.argsort(np.asarray(truth), kind="stable")
    order = by_truth[np.argsort(np.asarray(est)[by_truth], kind="stable")]
    columns_in_order = [np.asarray(col)[order].tolist() for col in (est, came, truth)]
    deciles = []
    for b in range(min(bins, n)):
        lo, hi = b * n // min(bins, n), (b + 1) * n // min(bins, n)
        if hi <= lo:
            continue
        k = hi - lo
        # summed one by one in that order (as floats add up in Python, not numpy's pairwise)
        e, c, t = (sum(col[lo:hi]) / k for col in columns_in_order)
        deciles.append({"n": k, "estimate": e, "came": c, "truth": t})
    return {"n": n,
            "brier": _brier(est, came),
            "brier_prior": _brier(prior, came),
            "brier_truth": _brier(truth, came),
            "mean_abs_error": sum([abs(e - t) for e, t in zip(est, truth, strict=True)]) / n,
            "deciles": deciles}


def calibration_lines(name: str, cal: dict[str, Any]) -> list[str]:
    """The text report's block for one policy's calibration."""
    if not cal["n"]:
        return [f"show estimate ({name}): no attempts"]
    lines = [f"show estimate ({name}, {cal['n']} attempts): Brier {cal['brier']:.3f} "
             f"(prior alone {cal['brier_prior']:.3f}, truth {cal['brier_truth']:.3f}); "
             f"mean |estimate - truth| {cal['mean_abs_error']:.3f}",
             f"  {'decile':<8}{'n':>7}{'estimate':>10}{'came':>8}{'truth':>8}"]
    for i, d in enumerate(cal["deciles"], start=1):
        lines.append(f"  {i:<8}{d['n']:>7}{d['estimate']:>10.3f}{d['came']:>8.3f}"
                     f"{d['truth']:>8.3f}")
    return lines
