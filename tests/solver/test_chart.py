"""The SVG line chart (`solver.chart`): structure, accessibility, escaping, legend, gaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from solver.chart import Series, Target, line_chart

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def one(element: ET.Element, tag: str) -> ET.Element:
    found = element.find(f"svg:{tag}", NS)
    assert found is not None, tag
    return found


def groups(root: ET.Element, kind: str) -> list[ET.Element]:
    return [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == kind]


def chart(**extra: Any) -> ET.Element:
    series = [Series("solver", [0.9, 0.92, 0.95], colour="#2471a3"),
              Series("today", [0.7, None, 0.8], colour="#c0392b", dash="7 4"),
              Series("edf", [0.8, 0.85, 0.9], dash="2 3", band=([0.75, 0.8, 0.85],
                                                                  [0.85, 0.9, 0.95]))]
    return parse(line_chart(series, x_labels=["1", "2", "3"], title="On time",
                            description="Three policies", **extra))


def test_an_image_with_a_title_and_a_description() -> None:
    root = chart()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title, desc = one(root, "title"), one(root, "desc")
    assert title.text == "On time" and desc.text == "Three policies"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert title.get("id") != desc.get("id")


def test_legend_swatches_are_lines_with_the_series_colour_and_dash() -> None:
    root = chart()
    lines = {g.get("data-name"): g.find("svg:polyline", NS) for g in groups(root, "series")}
    entries = groups(root, "legend-entry")
    assert [one(e, "text").text for e in entries] == ["solver", "today", "edf"]
    for entry in entries:
        swatch = one(entry, "line")
        assert entry.find("svg:rect", NS) is None  # a short line, not a solid block
        series_line = lines[one(entry, "text").text]
        if series_line is None:  # "today" has gaps around each value: dots only
            continue
        assert swatch.get("stroke") == series_line.get("stroke")
        assert swatch.get("stroke-dasharray") == series_line.get("stroke-dasharray")
    dashes = {one(e, "text").text: one(e, "line").get("stroke-dasharray") for e in entries}
    assert dashes == {"solver": None, "today": "7 4", "edf": "2 3"}


def test_none_is_a_gap_and_a_lone_value_a_dot() -> None:
    root = chart()
    today = next(g for g in groups(root, "series") if g.get("data-name") == "today")
    assert today.findall("svg:polyline", NS) == []
    assert len(today.findall("svg:circle", NS)) == 2
    svg = line_chart([Series("a", [0.1, 0.2, None, 0.3, 0.4])], x_labels=list("abcde"),
                     title="t", description="d")
    series = groups(parse(svg), "series")[0]
    polylines = series.findall("svg:polyline", NS)
    assert [len(p.get("points", "").split()) for p in polylines] == [2, 2]


def test_band_is_shaded_in_the_series_colour() -> None:
    root = chart()
    bands = [p for p in root.iter("{http://www.w3.org/2000/svg}polygon")
             if p.get("class") == "band"]
    assert len(bands) == 1
    assert len(bands[0].get("points", "").split()) == 6  # 3 up, 3 back
    assert float(bands[0].get("fill-opacity", "1")) < 0.5


def test_targets_are_labelled_inside_the_plot_at_the_left() -> None:
    root = chart(targets=[Target(0.9, "goal"), Target(2.0, "off the chart")])
    targets = groups(root, "target")
    assert len(targets) == 1
    line, text = one(targets[0], "line"), one(targets[0], "text")
    assert text.text == "goal (90 %)"
    assert float(text.get("x", "0")) > float(line.get("x1", "0"))  # inside, at the left
    legend_x = min(float(one(e, "line").get("x1", "0")) for e in groups(root, "legend-entry"))
    assert float(line.get("x2", "0")) < legend_x  # the legend is outside the plot


def test_text_is_escaped() -> None:
    nasty = 'a<b & "c"'
    svg = line_chart([Series(nasty, [0.5])], x_labels=[nasty], title=nasty,
                     description=nasty, targets=[Target(0.5, nasty)])
    root = parse(svg)  # well-formed XML despite the markup characters
    assert one(root, "title").text == nasty
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert nasty in texts and f"{nasty} (50 %)" in texts
    assert "<b" not in svg


def test_y_axis_in_percent_or_plain_numbers() -> None:
    texts = [t.text for t in chart().iter("{http://www.w3.org/2000/svg}text")]
    assert "0 %" in texts and "100 %" in texts
    svg = line_chart([Series("n", [3.0, 7.0])], x_labels=["a", "b"], title="t",
                     description="d", y_min=0, y_max=10, percent=False)
    texts = [t.text for t in parse(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert "10" in texts and "%" not in "".join(str(t) for t in texts)


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="one value per x label"):
        line_chart([Series("a", [0.1])], x_labels=["1", "2"], title="t", description="d")
    with pytest.raises(ValueError, match="y_max"):
        line_chart([], x_labels=[], title="t", description="d", y_min=1, y_max=1)
