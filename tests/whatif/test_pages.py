"""The what-if pages on SQLite and PostgreSQL: bad edits are refused in Danish with nothing
stored or started; a good one runs inline (immediate queue) and its comparison, printable page
and workbook show the figures; only planners and managers get in."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from booking.db import db
from booking.models import WhatIfRun

from .conftest import BASE, good_form


def _runs(app) -> list[WhatIfRun]:
    with app.app_context(), db.fresh_session() as s:
        return list(s.scalars(select(WhatIfRun).options(undefer(WhatIfRun.scenario))))


def test_form_shows_the_live_units(whatif_app, login):
    client = login(whatif_app, "planner")
    page = client.get(f"{BASE}/")
    assert page.status_code == 200
    centre = whatif_app.config["CENTRE"]
    assert centre.unit_name in page.text
    assert 'name="units-0-code" value="NORD"' in page.text


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"name": "  "}, ["Giv beregningen et navn."]),
        ({"units-0-caseworkers": "to"}, ["Skriv et helt tal."]),
        ({"units-0-hours_percent": "500"}, ["Ugentlig tid skal være mellem 10 og 300 % af i dag."]),
        (
            {"units-0-group_callins": "-1", "rehab_capacity": "0"},
            [
                "Fælles indkald pr. uge skal være mellem 0 og 5.",
                "Pladser pr. møde skal være mellem 1 og 30.",
            ],
        ),
        ({"units-0-caseworkers": "-2"}, ["skal have mindst én sagsbehandler: fjern højst 1."]),
        ({"units-0-code": "SYD"}, ["Enheden SYD findes ikke længere."]),
    ],
)
def test_bad_edits_are_refused_in_danish_and_nothing_starts(whatif_app, login, changes, messages):
    client = login(whatif_app, "planner")
    response = client.post(f"{BASE}/", data=good_form(**changes))
    assert response.status_code == 422
    assert "Beregningen blev ikke startet:" in response.text
    for text in messages:
        assert text in response.text
    assert _runs(whatif_app) == []


def test_a_whatif_runs_and_compares(whatif_app, login):
    client = login(whatif_app, "planner")
    response = client.post(f"{BASE}/", data=good_form())
    assert response.status_code == 302
    (run,) = _runs(whatif_app)
    assert run.state == "done", run.error
    assert run.seeds_done == run.seeds_total == 2
    solver = run.result["policies"]["solver"]
    assert len(solver["weekly"]) == 2 and set(solver["units"]) == {"NORD"}
    assert "cash_benefit" in solver["groups"] and "today" in run.result["policies"]
    assert "caseworkers = 4" in run.scenario and "[[units.group_callins]]" in run.scenario
    assert client.get(f"{BASE}/{run.id}.json").get_json() == {
        "state": "done",
        "seeds_done": 2,
        "seeds_total": 2,
        "finished": True,
    }

    page = client.get(response.location)
    assert page.status_code == 200
    assert "<svg" in page.text and "To ekstra i Nord" in page.text
    assert "Til tiden pr. enhed" in page.text and "Til tiden pr. målgruppe" in page.text
    share = f"{100 * solver['all']['mean']:.1f}".replace(".", ",")
    assert f"{share}\xa0%" in page.text  # Danish: a decimal comma and a no-break space
    for line in ("75\xa0%", "80\xa0%", "90\xa0%"):
        assert f"Mål {line}" in page.text  # the targets, named in the chart's legend
    printable = client.get(f"{BASE}/sammenlign?id={run.id}&udskrift=1")
    assert printable.status_code == 200 and "<svg" in printable.text

    xlsx = client.get(f"{BASE}/sammenligning.xlsx?id={run.id}")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Oversigt", "Uge for uge", "Enheder", "Målgrupper", "Mål"]
    summary = book["Oversigt"]
    assert summary["A2"].value == "To ekstra i Nord"
    assert summary["B2"].value == pytest.approx(solver["all"]["mean"])
    assert "NORD: +2 sagsbehandlere" in summary["I2"].value
    units = book["Enheder"]
    assert units["B2"].value == "NORD"
    assert units["D2"].value == pytest.approx(solver["units"]["NORD"]["mean"])
    assert book["Uge for uge"].max_row == 1 + 2

    toml = client.get(f"{BASE}/{run.id}/scenarie.toml")
    assert toml.status_code == 200 and b"[[citizens]]" in toml.data


def test_progress_of_a_missing_run_is_404(whatif_app, login):
    client = login(whatif_app, "leder")
    assert client.get(f"{BASE}/999.json").status_code == 404
    assert client.get(f"{BASE}/sammenlign?id=999").status_code == 404


@pytest.mark.parametrize(
    ("user", "status"), [("planner", 200), ("leder", 200), ("sagsb", 403), ("indk", 403)]
)
def test_roles(whatif_app, login, user, status):
    client = login(whatif_app, user)
    assert client.get(f"{BASE}/").status_code == status
    assert client.get(f"{BASE}/sammenligning.xlsx?id=1").status_code in (status, 404)
    response = client.post(f"{BASE}/", data=good_form())
    assert response.status_code == (302 if status == 200 else 403)
    with whatif_app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count(WhatIfRun.id))) == (1 if status == 200 else 0)


def test_anonymous_is_sent_to_log_in(whatif_app):
    response = whatif_app.test_client().get(f"{BASE}/")
    assert response.status_code == 302 and "/login" in response.location


def test_a_queued_whatif_shows_live_progress(whatif_app, login):
    from booking.services.clock import today_local
    from booking.services.whatif import runs
    from booking.services.whatif.changes import Changes, UnitChange

    with whatif_app.app_context(), db.fresh_session() as s:
        run = runs.new_whatif(
            s,
            whatif_app.extensions["rettidig_settings"],
            "Kø",
            Changes((UnitChange("NORD"),), 0, 5),
            staff_id=None,
            today=today_local(),
        )
    client = login(whatif_app, "leder")
    page = client.get(f"{BASE}/sammenlign?id={run.id}")
    assert page.status_code == 200
    assert f'data-progress-url="{BASE}/{run.id}.json"' in page.text
    assert "progress.js" in page.text and "<script>" not in page.text  # no inline script (CSP)
    assert client.get(f"{BASE}/{run.id}.json").get_json() == {
        "state": "queued",
        "seeds_done": 0,
        "seeds_total": 2,
        "finished": False,
    }


def test_the_timed_command_runs_the_live_state(whatif_app):
    result = whatif_app.test_cli_runner().invoke(
        args=["scenario", "run", "--seeds", "1", "--weeks", "1", "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "solver:" in result.output and "total" in result.output
