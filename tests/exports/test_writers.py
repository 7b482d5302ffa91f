"""The shared writers: Danish-Excel CSV (`;`, BOM, decimal comma, dd-mm-åååå, CRLF), the
English variant (`,`, ISO dates), .xlsx with real dates and numbers and their formats, and the
formula guard in both."""

from __future__ import annotations

from datetime import UTC, date, datetime

from booking.services.exports import Column, Export, Sheet, guard, render, slug, write_csv
from booking.services.exports.xlsx_writer import write_xlsx

from .conftest import read_csv, read_xlsx

COLUMNS = (
    Column("Navn", "Name"),
    Column("Antal", "Count", "int"),
    Column("Timer", "Hours", "decimal", 2),
    Column("Andel", "Share", "percent", 1),
    Column("Frist", "Deadline", "date"),
    Column("Tid", "Time", "datetime"),
)
ROWS = [
    ["Åse Ørum", 1234, 7.125, 0.82349, date(2026, 3, 5),
     datetime(2026, 7, 1, 8, 30, tzinfo=UTC)],
    ["=SUM(A1:A9)", 0, None, None, None, None],
    ["+45 20 30 40 50", 2, 1.0, 1.0, date(2026, 12, 24), None],
    ["-2+3", 3, 0.5, 0.0, None, None],
    ["@cmd", 4, 0.25, 0.5, None, None],
]
SHEET = Sheet("Liste", "List", COLUMNS, ROWS)


def test_danish_csv_opens_in_danish_excel():
    rows = read_csv(write_csv(SHEET, "da"), "da")
    assert rows[0] == ["Navn", "Antal", "Timer", "Andel (%)", "Frist", "Tid"]
    # decimal comma, dd-mm-åååå, local time (Copenhagen is UTC+2 in July), no thousands mark
    assert rows[1] == ["Åse Ørum", "1234", "7,13", "82,3", "05-03-2026", "01-07-2026 10:30"]
    assert rows[2][1:] == ["0", "", "", "", ""]
    assert rows[3][2:5] == ["1,00", "100,0", "24-12-2026"]


def test_english_csv_uses_commas_and_iso_dates():
    body = write_csv(SHEET, "en")
    rows = read_csv(body, "en")
    assert rows[0] == ["Name", "Count", "Hours", "Share (%)", "Deadline", "Time"]
    assert rows[1] == ["Åse Ørum", "1234", "7.13", "82.3", "2026-03-05", "2026-07-01 10:30"]
    assert b";" not in body


def test_the_formula_guard_defuses_text_in_csv():
    rows = read_csv(write_csv(SHEET, "da"))
    assert [r[0] for r in rows[2:]] == ["'=SUM(A1:A9)", "'+45 20 30 40 50", "'-2+3", "'@cmd"]
    assert guard("Borger") == "Borger" and guard("") == "" and guard("\tx") == "'\tx"


def test_xlsx_stores_real_dates_numbers_and_formats():
    book = read_xlsx(write_xlsx(Export("liste", date(2026, 11, 29), [SHEET]), "da"))
    ws = book["Liste"]
    assert [c.value for c in ws[1]] == ["Navn", "Antal", "Timer", "Andel", "Frist", "Tid"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F6"
    name, count, hours, share, deadline, time = ws[2]
    assert name.value == "Åse Ørum" and name.data_type == "s"
    assert count.value == 1234 and isinstance(count.value, int) and count.number_format == "#,##0"
    assert hours.value == 7.13 and hours.number_format == "#,##0.00"
    assert share.value == 0.823 and share.number_format == "0.0%"
    assert deadline.is_date and deadline.value.date() == date(2026, 3, 5)
    assert deadline.number_format == "dd-mm-yyyy"
    assert time.is_date and time.value == datetime(2026, 7, 1, 10, 30)  # local, no zone
    assert time.number_format == "dd-mm-yyyy hh:mm"
    assert ws.column_dimensions["A"].width >= len("+45 20 30 40 50")
    assert ws.column_dimensions["E"].width >= 10


def test_xlsx_never_stores_a_formula():
    ws = read_xlsx(write_xlsx(Export("liste", date(2026, 11, 29), [SHEET]), "en"))["List"]
    texts = [ws.cell(row=r, column=1) for r in range(3, 7)]
    assert [c.value for c in texts] == ["=SUM(A1:A9)", "+45 20 30 40 50", "-2+3", "@cmd"]
    assert all(c.data_type == "s" for c in texts)
    assert ws.cell(row=2, column=5).number_format == "yyyy-mm-dd"


def test_render_names_the_file_with_its_date_and_variant():
    export = Export("Ugeliste SB/Åse", date(2026, 11, 29), [SHEET])
    body, mimetype, name = render(export, "csv", "da")
    assert name == "ugeliste-sb-aase-2026-11-29.csv" and mimetype.startswith("text/csv")
    body, mimetype, name = render(export, "xlsx", "en")
    assert name == "ugeliste-sb-aase-2026-11-29-en.xlsx" and body[:2] == b"PK"
    assert "spreadsheetml" in mimetype
    assert slug("Æble/øl & Å") == "aeble-oel-aa"


def test_a_row_of_the_wrong_length_is_refused():
    try:
        Sheet("x", "x", COLUMNS, [["one"]])
    except ValueError as err:
        assert "1 values for 6 columns" in str(err)
    else:
        raise AssertionError("a short row was accepted")
