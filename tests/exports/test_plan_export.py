"""The conversation plan as a spreadsheet: the proposals with real times and dates, the
unplanned conversations; planners and call-in staff of the unit only."""

from __future__ import annotations

from datetime import datetime

from tests.plan_web.conftest import staff  # noqa: F401 - the planning world and its users
from tests.plan_web.pages import start

from .conftest import read_csv, read_xlsx


def test_the_plan_exports_its_proposals(app, staff, login):  # noqa: F811
    planner = login(app, "planner")
    [run_id] = start(planner, staff.world.unit.id, weeks="6")
    page = planner.get("/planlaegning/samtaler/plan", query_string={"koersel": run_id})
    assert f'href="/eksport/samtaleplan?format=xlsx&amp;koersel={run_id}"' in page.text
    r = planner.get("/eksport/samtaleplan", query_string={"koersel": run_id})
    assert r.status_code == 200
    assert f"samtaleplan-{run_id}-" in r.headers["Content-Disposition"]
    book = read_xlsx(r.data)
    assert book.sheetnames == ["Forslag", "Ikke planlagt"]
    ws = book["Forslag"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4  # the page says "Forslag: nye og flyttede bookinger (4)"
    assert all(row[0] == run_id and row[3] == "Ny booking" for row in rows)
    assert all(isinstance(row[8], datetime) and isinstance(row[9], int) for row in rows)
    assert ws["I2"].number_format == "dd-mm-yyyy hh:mm" and ws["P2"].is_date
    assert {row[16] for row in rows} <= {"ja", "nej"}
    rows_csv = read_csv(planner.get("/eksport/samtaleplan", query_string={
        "koersel": run_id, "format": "csv"}).data)
    assert len(rows_csv) == 5 and rows_csv[0][8] == "Ny tid"
    assert all(len(row[8]) == len("01-12-2026 09:00") and row[8][2] == "-" for row in rows_csv[1:])


def test_only_the_units_planners_and_callin_staff_export_the_plan(app, staff, login):  # noqa: F811
    [run_id] = start(login(app, "planner"), staff.world.unit.id, weeks="6")
    url = "/eksport/samtaleplan"
    assert login(app, "indk").get(url, query_string={"koersel": run_id}).status_code == 200
    assert login(app, "indk2").get(url, query_string={"koersel": run_id}).status_code == 404
    for user in ("sb", "leder"):
        assert login(app, user).get(url, query_string={"koersel": run_id}).status_code == 403
    assert login(app, "admin").get(url, query_string={"koersel": run_id}).status_code == 200
    assert login(app, "planner").get(url, query_string={"koersel": "x"}).status_code == 404
