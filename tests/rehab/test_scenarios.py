"""What-if projections: facts that must come out right, reproducibly; exports that open."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

import solver
from booking.models import RehabScenario
from booking.services.rehab import export, scenarios
from booking.services.rehab.projection import ScenarioParams, project
from booking.services.rehab.schedule import closed_between

START = date(2027, 1, 4)
CLOSED = closed_between(date(2026, 10, 1), date(2027, 12, 31))
SETTINGS = solver.SolverSettings(time_limit_s=5, num_workers=1)


def share(**kw) -> float:
    return project(ScenarioParams(start=START, places_per_meeting=5, **kw), CLOSED, SETTINGS).share


def test_two_meetings_are_too_few_for_twelve_cases_a_week_three_are_enough():
    two = share(inflow_per_week=12, meetings_per_week=2)
    three = share(inflow_per_week=12, meetings_per_week=3)
    assert two < 0.90 <= three


def test_shorter_lead_time_raises_timeliness_when_meetings_are_the_bottleneck():
    slow = share(inflow_per_week=10, meetings_per_week=2, lead_days=14)
    fast = share(inflow_per_week=10, meetings_per_week=2, lead_days=7)
    assert fast > slow


def test_closed_weeks_cost_timeliness():
    open_all_year = share(inflow_per_week=9, meetings_per_week=2)
    summer = share(inflow_per_week=9, meetings_per_week=2, closed_weeks=(5, 6, 7))
    assert summer < open_all_year


def test_projection_is_reproducible_and_seeded():
    params = ScenarioParams(start=START, inflow_per_week=11, weeks=10, runs=2, seed=7)
    first = project(params, CLOSED, SETTINGS).to_json()
    again = project(params, CLOSED, SETTINGS).to_json()
    other = project(
        ScenarioParams(start=START, inflow_per_week=11, weeks=10, runs=2, seed=8), CLOSED, SETTINGS
    ).to_json()
    first.pop("solve_seconds"), again.pop("solve_seconds"), other.pop("solve_seconds")
    assert first == again
    assert first["weeks"] != other["weeks"]
    assert len(first["weeks"]) == 10
    assert all(w["on_time"] <= w["due"] for w in first["weeks"])


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"meetings_per_week": "7"}, "meetings_per_week", "mellem 1 og 5"),
        ({"places_per_meeting": "fem"}, "places_per_meeting", "skriv et tal"),
        ({"lead_days": "3.5"}, "lead_days", "helt tal"),
        ({"closed_weeks": "uge 29"}, "closed_weeks", "ugenumre"),
    ],
)
def test_bad_scenario_input_gets_a_danish_message(form, field, message, in_danish):
    data = {
        "meetings_per_week": "2",
        "places_per_meeting": "5",
        "lead_days": "14",
        "inflow_per_week": "10",
        "weeks": "26",
        **form,
    }
    with pytest.raises(scenarios.ScenarioError) as err:
        scenarios.parse_params(data, start=START, seed=1, runs=5)
    assert message in in_danish(err.value)[field]


def _stored(session, name, **kw) -> RehabScenario:
    params = ScenarioParams(start=START, weeks=6, runs=1, **kw)
    scenario = scenarios.create(session, name, params, staff_id=None)
    session.commit()  # as the web request does before it enqueues the projection
    scenarios.run(session, scenario.id, settings=SETTINGS)
    session.commit()
    return scenario


def test_exports_open_and_hold_every_week_of_every_scenario(session):
    chosen = [
        _stored(session, "To møder", meetings_per_week=2),
        _stored(session, "Tre møder", meetings_per_week=3),
    ]
    book = load_workbook(io.BytesIO(export.to_xlsx(chosen)))
    assert book.sheetnames == ["Uge for uge", "Antagelser"]
    rows = list(book["Uge for uge"].values)
    assert rows[0] == export.COLUMNS and len(rows) == 1 + 2 * 6
    assert {r[0] for r in rows[1:]} == {"To møder", "Tre møder"}
    assumptions = {r[0]: r[1:] for r in book["Antagelser"].values}
    assert assumptions["Møder pr. uge"] == (2, 3)
    table = list(csv.reader(io.StringIO(export.to_csv(chosen)), delimiter=";"))
    assert table[0] == list(export.COLUMNS) and len(table) == 13


def test_scenario_names_are_unique(session, in_danish):
    _stored(session, "Basis")
    with pytest.raises(scenarios.ScenarioError) as err:
        scenarios.create(session, "Basis", ScenarioParams(start=START), staff_id=None)
    assert "findes allerede" in in_danish(err.value)["name"]
