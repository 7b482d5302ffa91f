"""The live state as a scenario: `flask --app booking scenario export FILE` on the demo
municipality writes a file that `python -m solver.simulate` runs; the TOML writer gives back
what it was given; the changes a what-if makes."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
import tomli_w

from booking.services.whatif.changes import Changes, UnitChange, apply, problems, scale_patterns
from booking.services.whatif.export import weekly_slots
from booking.services.whatif.population import beta_fit
from solver.simulation.cli import main as simulate
from solver.simulation.scenario import ScenarioError, parse_scenario
from tests.conftest import DEMO_TODAY


@pytest.fixture(scope="module")
def exported(demo_app, tmp_path_factory):
    path = tmp_path_factory.mktemp("whatif") / "live.toml"
    result = demo_app.test_cli_runner().invoke(
        args=["scenario", "export", str(path), "--today", DEMO_TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    return path


def test_export_then_simulate(exported, capsys):
    data = tomllib.loads(exported.read_text(encoding="utf-8"))
    scenario = parse_scenario(data, str(exported))
    assert scenario.start == DEMO_TODAY  # a Monday
    assert {u.id for u in scenario.units} == {"FL", "KH", "RJ"}
    assert all(u.caseworkers >= 1 and u.patterns for u in scenario.units)
    assert len(scenario.citizens) > 100 and scenario.groups
    assert any(c.held for c in scenario.citizens)  # the conversations held so far
    assert all(h.date <= DEMO_TODAY for c in scenario.citizens for h in c.held)
    assert all(c.birth_date.day == 1 for c in scenario.citizens)  # cut to the month
    assert scenario.rehab.meetings  # the demo's weekly rehabilitation meetings
    assert (
        simulate(
            [
                str(exported),
                "--weeks",
                "2",
                "--seeds",
                "1",
                "--jobs",
                "1",
                "--policies",
                "today,solver",
            ]
        )
        == 0
    )
    assert "solver" in capsys.readouterr().out


def test_toml_writer_round_trip():
    data = {
        "scenario": {
            "name": 'A "quoted" navn æøå',
            "start": dt.date(2027, 3, 1),
            "closed_days": [dt.date(2027, 6, 5)],
        },
        "policy": {"prior_mean": 0.8, "odd key": 1},
        "units": [
            {
                "id": "N",
                "caseworkers": 2,
                "patterns": [{"days": ["mon"], "times": ["09:00"], "minutes": 45}],
            }
        ],
        "citizens": [{"id": "c1", "held": [{"date": dt.date(2027, 1, 4), "joint": True}]}],
        "rehab": {"ready_days": {"min": 0, "max": 3}, "meetings": [{"day": "thu"}]},
        "absences": [],
    }
    text = tomli_w.dumps(data)
    assert tomllib.loads(text) == data
    assert "[[units.patterns]]" in text and "[rehab]" in text


def test_the_simulation_reads_held_and_end():
    base = {"scenario": {"rule_set": "lab-2024"}, "units": [{"id": "a"}]}
    ok = parse_scenario(
        {
            **base,
            "citizens": [
                {
                    "id": "c",
                    "group": "cash_benefit",
                    "unit": "a",
                    "caseworker": "a-1",
                    "end": dt.date(2025, 6, 1),
                    "held": [
                        dt.date(2025, 1, 2),
                        {"date": dt.date(2024, 12, 1), "holder": "unemployment_fund"},
                    ],
                }
            ],
        }
    )
    (cit,) = ok.citizens
    assert [h.date for h in cit.held] == [dt.date(2024, 12, 1), dt.date(2025, 1, 2)]
    assert cit.held[0].holder == "unemployment_fund" and cit.end == dt.date(2025, 6, 1)
    with pytest.raises(ScenarioError, match=r"citizens\[0\]\.held\[0\]\.kind"):
        parse_scenario(
            {
                **base,
                "citizens": [
                    {
                        "id": "c",
                        "group": "cash_benefit",
                        "unit": "a",
                        "caseworker": "a-1",
                        "held": [{"date": dt.date(2025, 1, 2), "kind": "chat"}],
                    }
                ],
            }
        )


def test_hours_scale_the_weekly_slots():
    patterns = [
        {
            "days": ["mon", "thu"],
            "times": ["09:00", "09:45", "10:30"],
            "minutes": 45,
            "channel": "in_person",
        },
        {"days": ["tue"], "times": ["12:30", "13:00"], "minutes": 30, "channel": "phone"},
    ]
    assert weekly_slots(patterns) == 8
    assert weekly_slots(scale_patterns(patterns, 50)) == 4
    assert weekly_slots(scale_patterns(patterns, 150)) == 12
    assert weekly_slots(scale_patterns(patterns, 100)) == 8
    assert weekly_slots(patterns) == 8  # the original is not changed


def test_fewer_caseworkers_move_their_citizens():
    scenario = {
        "scenario": {"name": "x"},
        "units": [
            {
                "id": "N",
                "caseworkers": 3,
                "patterns": [],
                "group_callins": [{"day": "tue", "times": ["09:00"], "caseworkers": 3}],
            }
        ],
        "citizens": [{"unit": "N", "caseworker": f"N-{i}"} for i in (1, 2, 3)],
        "absences": [{"caseworker": "N-3"}, {"caseworker": "N-1"}],
        "rehab": {"meetings": []},
    }
    change = Changes((UnitChange("N", -1, 100, 2),), 1, 7)
    assert problems(scenario, change) == {}
    out = apply(scenario, change, "y")
    unit = out["units"][0]
    assert unit["caseworkers"] == 2 and len(unit["group_callins"]) == 2
    assert all(c["caseworkers"] <= 2 for c in unit["group_callins"])
    assert [c["caseworker"] for c in out["citizens"]] == ["N-1", "N-2", "N-1"]
    assert out["absences"] == [{"caseworker": "N-1"}]
    assert out["rehab"]["meetings"] == [{"day": "tue", "capacity": 7}]
    assert scenario["units"][0]["caseworkers"] == 3


def test_beta_fit_by_moments():
    alpha, beta = beta_fit([0.5, 0.7, 0.9, 0.6, 0.8]) or (0, 0)
    mean = alpha / (alpha + beta)
    assert mean == pytest.approx(0.7)
    assert beta_fit([0.8] * 10) is None and beta_fit([0.5, 0.9]) is None
