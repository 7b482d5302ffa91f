"""Figures across seeds: the Student t quantile of the confidence intervals, and the plot."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from solver.simulation.report import T975, ci, svg_plot, t975


@pytest.mark.parametrize(("df", "expected"), [(1, 12.706), (20, 2.086), (21, 2.080),
                                              (24, 2.064), (25, 2.060), (30, 2.042)])
def test_t975_is_exact_where_tabulated(df, expected):
    assert t975(df) == expected


@pytest.mark.parametrize(("df", "lower", "upper"), [(31, 30, 40), (39, 30, 40), (59, 40, 60),
                                                    (61, 60, 120), (119, 60, 120)])
def test_t975_between_tabulated_df_takes_the_next_lower_df(df, lower, upper):
    """The next lower df has the larger quantile: the interval is never too narrow."""
    assert t975(df) == T975[lower] > T975[upper]


def test_t975_of_df_21_to_24_is_not_that_of_25():
    """The old table had no 21-24 and rounded up to t(25) = 2.060: too narrow an interval."""
    for df in range(21, 25):
        assert t975(df) > T975[25]
    assert t975(500) == T975[120]  # beyond the table: the last row, never the normal 1.960


def test_t975_never_grows_with_df():
    values = [t975(df) for df in range(1, 200)]
    assert all(a >= b for a, b in zip(values, values[1:], strict=False))
    assert math.isnan(t975(0))


def test_ci_of_22_seeds_uses_t_with_21_df():
    values = [float(i % 5) for i in range(22)]
    c = ci(values)
    mean = sum(values) / 22
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / 21)
    assert c["hi"] - c["mean"] == pytest.approx(2.080 * sd / math.sqrt(22))


def test_plot_is_the_accessible_chart_with_a_band_for_the_solver():
    def policy(share):
        return {"on_time": {"all": {"mean": share, "lo": share - 0.01, "hi": share + 0.01}},
                "weekly_on_time": [share, share + 0.01],
                "weekly_on_time_ci": [{"mean": share, "lo": share - 0.02, "hi": share + 0.02}] * 2}
    summary = {"scenario": "x & y", "weeks": 2, "seeds": [1, 2, 3],
               "policies": {"today": policy(0.8), "solver": policy(0.9)}}
    root = ET.fromstring(svg_plot(summary))
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert "x & y" in root.find(f"{ns}title").text
    legend = [t.text for g in root.iter(f"{ns}g") if g.get("class") == "legend-entry"
              for t in g.iter(f"{ns}text")]
    assert legend == ["today 80.0 %", "solver 90.0 %"]
    assert len([p for p in root.iter(f"{ns}polygon") if p.get("class") == "band"]) == 1
