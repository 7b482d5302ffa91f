"""The export routes: each file opens (CSV read back with the csv module, .xlsx with
openpyxl), each lets in the roles that see its page and refuses the others (403), bad choices
are refused in Danish, and exporting citizens is audited."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import AuditEntry
from booking.services.clock import today_local

from .conftest import read_csv, read_xlsx

DMY = re.compile(r"^\d\d-\d\d-\d{4}$")
ROUTES = {
    "/eksport/ugeliste": {"sb1", "leder", "admin"},
    "/eksport/central": {"indk", "admin"},
    "/eksport/rettidighed": {"leder", "admin"},
}
USERS = ("sb1", "indk", "plan", "leder", "admin")


def _exported(app) -> list[int]:
    """The citizens the central-list exports were audited for (one entry per citizen, or one
    per list with the ids in its detail)."""
    ids: list[int] = []
    with app.app_context(), db.fresh_session() as s:
        for entry in s.scalars(select(AuditEntry).where(
                AuditEntry.action == "callin_central_list_export")):
            listed = [v for v in (entry.detail or {}).values() if isinstance(v, list)]
            ids += listed[0] if listed else [entry.citizen_id]
    return ids


@pytest.mark.parametrize("url", list(ROUTES))
def test_each_export_lets_in_only_the_roles_of_its_page(app, world, login, url):
    query = {"format": "csv", "caseworker": world.north_cw}  # the manager names a caseworker
    for user in USERS:
        r = login(app, user).get(url, query_string=query)
        expected = 200 if user in ROUTES[url] else 403
        assert r.status_code == expected, (url, user, r.status_code)
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.location


def test_weekly_list_csv_is_danish_excel(app, world, login):
    r = login(app, "sb1").get("/eksport/ugeliste", query_string={"format": "csv"})
    assert r.mimetype == "text/csv"
    today = today_local()
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "ugeliste-sb" in disposition and f"{today.isoformat()}.csv" in disposition
    rows = read_csv(r.data, "da")
    assert rows[0] == ["Status", "Borger", "CPR", "Målgruppe", "Samtale", "Lovens frist",
                       "Planlagt senest", "Booket"]
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {world.names["overdue"], world.names["soon"], world.names["timely"]}
    assert by_name[world.names["overdue"]][0] == "Overskredet"
    assert by_name[world.names["soon"]][0] == "Forfalder inden 3 uger"
    assert by_name[world.names["overdue"]][3] == "Kontanthjælp"
    for row in rows[1:]:
        for cell in row[5:7]:
            assert cell == "" or DMY.match(cell), cell


def test_weekly_list_of_another_caseworker(app, world, login):
    mine = login(app, "sb1")
    other = mine.get("/eksport/ugeliste", query_string={"caseworker": world.south_cw})
    assert other.status_code == 403  # a caseworker exports only their own list
    boss = login(app, "leder")
    r = boss.get("/eksport/ugeliste", query_string={"caseworker": world.south_cw,
                                                    "format": "xlsx"})
    assert r.status_code == 200
    ws = read_xlsx(r.data)["Ugeliste"]
    assert ws.freeze_panes == "A2"
    assert ws["B2"].value == world.names["formula"] and ws["B2"].data_type == "s"
    assert ws["F2"].is_date and ws["F2"].number_format == "dd-mm-yyyy"
    missing = boss.get("/eksport/ugeliste", query_string={"caseworker": 999999})
    assert missing.status_code == 404


def test_the_central_list_guards_formulas_and_is_audited(app, world, login):
    client = login(app, "indk")
    assert _exported(app) == []
    r = client.get("/eksport/central", query_string={"format": "csv", "variant": "en"})
    rows = read_csv(r.data, "en")
    assert rows[0][:3] == ["Citizen", "CPR", "Phone"]
    names = [row[0] for row in rows[1:]]
    assert "'" + world.names["formula"] in names and world.names["overdue"] in names
    assert all(row[2] == "'+45 20 30 40 50" for row in rows[1:])  # would run as a formula
    for row in rows[1:]:
        assert re.match(r"^\d{4}-\d\d-\d\d$", row[5]) and row[9] in ("yes", "no")
    assert len(set(_exported(app))) == len(set(names)) == 4  # every citizen exported
    book = read_xlsx(client.get("/eksport/central").data)
    ws = book["Central booking"]
    assert ws["H2"].is_date and isinstance(ws["H2"].value, datetime)


def test_the_indicator_export_has_numbers_and_real_dates(app, world, login):
    client = login(app, "leder")
    r = client.get("/eksport/rettidighed", query_string={"uger": "13"})
    assert r.status_code == 200 and "rettighed" not in r.headers["Content-Disposition"]
    assert "rettidighed-13-uger-" in r.headers["Content-Disposition"]
    book = read_xlsx(r.data)
    assert book.sheetnames == ["Uge for uge", "Hele perioden", "Målgrupper", "Mål"]
    weekly = book["Uge for uge"]
    rows = list(weekly.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 14 * 3  # 13 whole weeks and the current one; the total and 2 units
    assert rows[-3][3] == "ja" and rows[-3][4] == "Hele kommunen"
    assert isinstance(rows[0][2], datetime) and weekly["C2"].number_format == "dd-mm-yyyy"
    shares = [c for (c,) in weekly.iter_rows(min_row=2, min_col=8, max_col=8)
              if c.value is not None]
    assert shares and all(c.number_format == "0.0%" and 0 <= c.value <= 1 for c in shares)
    period = book["Hele perioden"]
    total = [row for row in period.iter_rows(min_row=2, values_only=True)][0]
    assert total[0] == "Hele kommunen" and total[1] >= total[2] >= 1
    targets = {row[0]: row for row in book["Mål"].iter_rows(min_row=2, values_only=True)}
    assert targets["Delmål"][1] == 0.8 and targets["Mål"][1] == 0.9
    assert targets["Lovens andel af målgruppen"][1] == 0.75
    assert book["Mål"]["C2"].is_date
    csv_rows = read_csv(client.get("/eksport/rettidighed",
                                   query_string={"format": "csv", "uger": "4"}).data)
    assert csv_rows[0][-2:] == ["Andel rettidigt (%)", "Mod målene"]
    assert all(re.match(r"^\d+(,\d)?$", row[-2]) for row in csv_rows[1:] if row[-2])


@pytest.mark.parametrize("query, expected", [
    ({"format": "pdf"}, "Vælg formatet csv eller xlsx."),
    ({"variant": "de"}, "Vælg varianten da (dansk Excel) eller en (engelsk)."),
    ({"uger": "53"}, "Vælg en periode på 1 til 52 uger."),
    ({"uger": "x"}, "Vælg en periode på 1 til 52 uger."),
])
def test_bad_choices_are_refused_in_danish(app, world, login, query, expected):
    r = login(app, "leder").get("/eksport/rettidighed", query_string=query)
    assert r.status_code == 400 and expected in r.get_data(as_text=True)


def test_each_page_links_to_its_exports(app, world, login):
    weekly = login(app, "sb1").get("/sagsbehandler/").get_data(as_text=True)
    assert (f'href="/eksport/ugeliste?format=xlsx&amp;caseworker={world.north_cw}"' in weekly
            and ">Eksportér (Excel)</a>" in weekly)
    assert f'href="/eksport/ugeliste?format=csv&amp;variant=en&amp;caseworker={world.north_cw}"' \
        in weekly
    central = login(app, "indk").get("/indkald/central").get_data(as_text=True)
    assert 'href="/eksport/central?format=csv"' in central and ">CSV</a>" in central
    manager = login(app, "leder").get("/ledelse/", query_string={"uger": "8"})
    assert 'href="/eksport/rettidighed?format=xlsx&amp;uger=8&amp;pr=enhed"' in manager.text
