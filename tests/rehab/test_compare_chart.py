"""The scenario comparison uses the shared chart: one line per scenario, told apart by dash as
well as colour, the targets as grey dotted lines named in the legend beside the plot (not as
labels inside it, where the scenarios' lines would cross them), words in the page's language."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from booking.blueprints.planner.charts import scenario_chart
from booking.models import RehabScenario
from tests.rehab.conftest import needs_translation

SVG = "{http://www.w3.org/2000/svg}"


def _scenario(name: str, shares: list[float | None]) -> RehabScenario:
    return RehabScenario(name=name, params={}, result={"weeks": [{"share": v} for v in shares]})


def test_chart_has_a_dashed_line_per_scenario_and_the_targets(app, settings):
    chosen = [_scenario("Nu: 2 møder", [0.5, 0.6, None, 0.7]), _scenario("3 møder", [0.8] * 4)]
    with app.test_request_context("/"):
        svg = ET.fromstring(str(scenario_chart(chosen, settings.targets)))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Andel forelagt til tiden pr. uge"
    lines = {g.get("data-name"): g for g in svg.iter(f"{SVG}g") if g.get("data-name")}
    assert set(lines) == {"Nu: 2 møder", "3 møder", "Mål 80\xa0%", "Mål 90\xa0%"}
    # the first scenario is solid with a gap, the second dashed
    assert len(lines["Nu: 2 møder"].findall(f"{SVG}polyline")) == 1
    assert lines["3 møder"].find(f"{SVG}polyline").get("stroke-dasharray") == "8 4"
    target = lines["Mål 80\xa0%"].find(f"{SVG}polyline")
    assert target.get("stroke-dasharray") == "1 3" and target.get("stroke") == "#555555"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Mål 80\xa0%" in texts and "Mål 90\xa0%" in texts and "uge 1" in texts
    # no label inside the plot area: every target is named in the legend only
    assert not list(svg.iter(f"{SVG}g[@class='target']"))
    legend = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "legend")
    swatches = {
        entry.find(f"{SVG}text").text: entry.find(f"{SVG}line").get("stroke-dasharray")
        for entry in legend
    }
    assert swatches["3 møder"] == "8 4" and swatches["Mål 90\xa0%"] == "1 3"


def test_chart_words_follow_the_language(app, settings):
    chosen = [_scenario("A", [0.5, 0.6])]
    with app.test_request_context("/"):
        from flask import session

        session["lang"] = "en"
        svg = ET.fromstring(str(scenario_chart(chosen, settings.targets)))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert svg.find(f"{SVG}title").text != "Andel forelagt til tiden pr. uge"
    assert "week 1" in texts
    needs_translation("Mål %(share)s")
    assert "Target 80%" in texts
