"""The scenario comparison uses the shared chart: one line per scenario, told apart by dash as
well as colour, the targets as labelled lines, words in the page's language."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from booking.blueprints.planner.charts import scenario_chart
from booking.models import RehabScenario

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
    assert set(lines) == {"Nu: 2 møder", "3 møder"}
    # the first scenario is solid with a gap, the second dashed
    assert len(lines["Nu: 2 møder"].findall(f"{SVG}polyline")) == 1
    assert lines["3 møder"].find(f"{SVG}polyline").get("stroke-dasharray") == "8 4"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "mål (80 %)" in texts and "mål (90 %)" in texts and "uge 1" in texts


def test_chart_words_follow_the_language(app, settings):
    chosen = [_scenario("A", [0.5, 0.6])]
    with app.test_request_context("/"):
        from flask import session

        session["lang"] = "en"
        svg = ET.fromstring(str(scenario_chart(chosen, settings.targets)))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert svg.find(f"{SVG}title").text != "Andel forelagt til tiden pr. uge"
    assert "week 1" in texts and "target (80 %)" in texts
