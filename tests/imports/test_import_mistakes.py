"""One bad row per kind of mistake: each is reported with its row number, column and code,
and nothing is written, even the good rows beside it (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.imports.helpers import audit_details, counts, csv_bytes, import_samples, run

NEW = "241295-1234;Dorte Møller;SYD;SB-201"  # a good new citizen on every bad file
HEADER = "cpr;navn;enhed;sagsbehandler"

MISTAKES = {
    "missing column": (
        "citizens", ["cpr;enhed;sagsbehandler", "241295-1234;SYD;SB-201"],
        [(1, "navn", "missing_column")]),
    "bad CPR (no such birth date)": (
        "citizens", [HEADER, NEW, "320190-1234;Erik Holm;NORD;SB-101"],
        [(3, "cpr", "bad_cpr_date")]),
    "bad CPR (too short)": (
        "citizens", [HEADER, NEW, "010190-123;Erik Holm;NORD;SB-101"],
        [(3, "cpr", "bad_cpr_length")]),
    "date 2027-02-30": (
        "programmes", ["id;cpr;målgruppe;start", "F-2001;010190-1234;kontanthjælp;2026-10-01",
                       "F-2002;150385-2345;kontanthjælp;2027-02-30"],
        [(3, "start", "bad_date")]),
    "date 30-02-2027": (
        "history", ["id;cpr;dato", "S-1;010190-1234;01-10-2026", "S-2;010190-1234;30-02-2027"],
        [(3, "dato", "bad_date")]),
    "unknown unit": (
        "citizens", [HEADER, NEW, "120488-3456;Erik Holm;VEST;SB-101"],
        [(3, "enhed", "unknown_unit")]),
    "duplicate row": (
        "citizens", [HEADER, NEW, NEW],
        [(3, "cpr", "duplicate_row")]),
    "unknown caseworker": (
        "citizens", [HEADER, NEW, "120488-3456;Erik Holm;NORD;SB-999"],
        [(3, "sagsbehandler", "unknown_caseworker")]),
    "unknown citizen": (
        "history", ["id;cpr;dato", "S-1;010190-1234;01-10-2026", "S-2;120488-3456;01-10-2026"],
        [(3, "cpr", "unknown_citizen")]),
    "unknown column": (
        "units", ["enhed;navn;farve", "VEST;Jobcenter Vest;blå"],
        [(1, "farve", "unknown_column")]),
    "unknown target group": (
        "programmes", ["id;cpr;målgruppe;start", "F-2001;010190-1234;pensionist;2026-10-01"],
        [(2, "målgruppe", "bad_choice")]),
    "conversation in the future": (
        "history", ["id;cpr;dato", "S-1;010190-1234;01-12-2026"],
        [(2, "dato", "date_in_future")]),
    "joint conversation held by the fund": (
        "history", ["id;cpr;dato;afholdt_af;fælles", "S-1;010190-1234;01-10-2026;a-kasse;ja"],
        [(2, "fælles", "joint_by_fund")]),
    "bad yes/no": (
        "caseworkers", ["id;enhed;navn;initialer;aktiv", "SB-9;NORD;Ida Lund;IL;måske"],
        [(2, "aktiv", "bad_yes_no")]),
    "end before start": (
        "absences", ["sagsbehandler;start;slut", "SB-101;10-03-2027;09-03-2027"],
        [(2, "slut", "end_before_start")]),
}


def test_each_kind_of_mistake_is_reported_and_nothing_is_written(db_app):
    import_samples(db_app, "citizens")
    before = counts(db_app)
    for name, (kind, lines, expected) in MISTAKES.items():
        for dry_run in (True, False):
            result = run(db_app, kind, csv_bytes(lines), dry_run=dry_run)
            assert [(e.row, e.column, e.code) for e in result.errors] == expected, name
            assert not result.written, name
            assert counts(db_app) == before, name
    refused = audit_details(db_app, "import.citizens")[1:]  # after the good sample's run
    assert refused and all(d["errors"] >= 1 and not d["written"] for d in refused)


@pytest.mark.parametrize("data, code", [
    (b"", "empty_file"),
    (b"\n\n", "no_header"),
    (b"PK\x03\x04 not really a workbook", "not_a_table"),
    (b"enhed;;navn\nA;;B\n", "blank_column"),
    (b"enhed;navn;enhed\n", "duplicate_column"),
])
def test_a_file_that_is_not_a_table_is_refused_whole(app, data, code):
    result = run(app, "units", data)
    assert [(e.row, e.code) for e in result.errors] == [(0, code)]
    assert not result.written


def test_every_bad_row_is_reported_not_only_the_first(app):
    import_samples(app, "citizens")
    lines = [HEADER] + [f"0101{n:02d}-1234;Borger {n};NORD;SB-101" for n in range(40, 45)]
    lines[2] = "010141-1234;;MIDT;SB-101"  # two mistakes on row 3
    lines[4] = "xx;Borger;NORD;SB-101"  # row 5
    result = run(app, "citizens", csv_bytes(lines))
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (3, "navn", "required"), (3, "enhed", "unknown_unit"), (5, "cpr", "bad_cpr_format")]
    assert result.bad_rows == 2


def test_more_cells_than_headers_is_a_bad_row(app):
    result = run(app, "units", csv_bytes(["enhed;navn", "A;Enhed A;overskud"]))
    assert [(e.row, e.code) for e in result.errors] == [(2, "extra_cells")]
