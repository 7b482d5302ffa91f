"""The same rows from every kind of file: Danish Excel's ``;``, ``,`` and tabs, UTF-8 with and
without a byte-order mark, Windows-1252, and XLSX with real date cells."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import Absence, Citizen, Programme
from booking.services.imports.cells import CellError, day, moment
from tests.imports.helpers import csv_bytes, import_samples, run, xlsx_bytes

CITIZENS = ["cpr;navn;enhed;telefon", "241295-1234;Dorte Møller;SYD;+45 20 20 20 20",
            "120488-3456;Ærling Øster;NORD;"]


@pytest.mark.parametrize("separator, bom, encoding", [
    (";", True, "utf-8"), (";", False, "utf-8"), (",", True, "utf-8"), (",", False, "utf-8"),
    ("\t", False, "utf-8"), (";", False, "cp1252"),
])
def test_csv_variants_give_the_same_citizens(db_app, separator, bom, encoding):
    import_samples(db_app, "caseworkers")
    data = csv_bytes(CITIZENS, separator=separator, bom=bom, encoding=encoding)
    result = run(db_app, "citizens", data)
    assert result.ok, result.errors
    assert (result.created, result.format) == (2, "csv")
    again = run(db_app, "citizens", csv_bytes(CITIZENS))  # the plain file: the same rows
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
    with db_app.app_context(), db.fresh_session() as session:
        names = set(session.scalars(select(Citizen.name)))
    assert names == {"Dorte Møller", "Ærling Øster"}


def test_quoted_cells_may_hold_the_separator(app):
    data = b'enhed;navn\r\nA;"Jobcenter A; Nord"\r\n'
    result = run(app, "units", data)
    assert result.ok and result.created == 1


def test_xlsx_with_date_cells_and_a_cpr_number_cell(app):
    import_samples(app, "citizens")
    book = xlsx_bytes([
        ["id", "cpr", "målgruppe", "start", "slut"],
        ["F-9", 101901234, "Kontanthjælp", date(2026, 9, 1), datetime(2026, 12, 31)],
        ["F-10", "150385-2345", "ressourceforløb", "01-10-2026", None],
    ])
    result = run(app, "programmes", book, "forløb.xlsx")
    assert result.ok, result.errors
    assert (result.created, result.format) == (2, "xlsx")
    with app.app_context(), db.fresh_session() as session:
        f9 = session.scalar(select(Programme).where(Programme.external_id == "F-9"))
        assert f9 is not None
        assert (f9.target_group, f9.start_date, f9.end_date) == (
            "cash_benefit", date(2026, 9, 1), date(2026, 12, 31))
        assert f9.citizen.name == "Anna Nielsen"  # 0101901234: Excel dropped the zero
    assert run(app, "programmes", book, "forløb.xlsx").unchanged == 2


def test_xlsx_bad_date_text_is_reported_with_its_row(app):
    import_samples(app, "citizens")
    book = xlsx_bytes([["id", "cpr", "målgruppe", "start"],
                       ["F-9", "010190-1234", "kontanthjælp", "2027-02-30"]])
    result = run(app, "programmes", book, "forløb.xlsx")
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "start", "bad_date")]


def test_absences_whole_days_and_timed(app):
    import_samples(app, "absences")
    with app.app_context(), db.fresh_session() as session:
        rows = {a.ics_uid: a for a in session.scalars(select(Absence))}
    holiday = rows["import:FR-1"]
    assert (holiday.starts_at.isoformat(), holiday.ends_at.isoformat()) == (
        "2027-02-14T23:00:00+00:00", "2027-02-19T23:00:00+00:00")  # 15.–19. Feb, whole days
    course = rows["import:FR-2"]
    assert (course.starts_at.isoformat(), course.ends_at.isoformat()) == (
        "2027-03-04T07:00:00+00:00", "2027-03-04T11:00:00+00:00")
    assert rows[None].reason is None  # no id: keyed on caseworker, start and end
    changed = (b"sagsbehandler;start;slut;\xc3\xa5rsag;id\r\n"
               b"SB-101;15-02-2027;19-02-2027;Vinterferie;FR-1\r\n")
    result = run(app, "absences", changed)
    assert (result.created, result.changed) == (0, 1)


@pytest.mark.parametrize("text, expected", [
    ("05-03-2027", date(2027, 3, 5)), ("5.3.2027", date(2027, 3, 5)),
    ("2027-03-05", date(2027, 3, 5)), ("05/03/2027", date(2027, 3, 5)),
])
def test_dates_are_read_both_ways(text, expected):
    assert day(text) == expected


@pytest.mark.parametrize("text", ["2027-02-30", "30-02-2027", "2027-13-01", "1.1.27", "i går",
                                  "31-12-2100"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(CellError):
        day(text)


def test_a_moment_has_an_optional_time():
    assert moment("04-03-2027 08:30")[1] is not None
    assert moment("04-03-2027") == (date(2027, 3, 4), None)
    with pytest.raises(CellError) as err:
        moment("04-03-2027 25:00")
    assert err.value.code == "bad_time"


def test_an_imported_absence_closes_the_free_slots_inside_it(app):
    from booking.models import Caseworker, Channel, Slot
    from booking.services.calendar_days import local_datetime

    import_samples(app, "caseworkers")
    with app.app_context(), db.fresh_session() as session:
        worker = session.scalar(select(Caseworker).where(Caseworker.external_id == "SB-101"))
        assert worker is not None
        for day_, hour in ((date(2027, 2, 16), 9), (date(2027, 2, 22), 9)):
            session.add(Slot(caseworker_id=worker.id, minutes=30, channel=Channel.in_person,
                             starts_at=local_datetime(day_, time(hour, 0))))
        session.commit()
    assert run(app, "absences", csv_bytes(["sagsbehandler;start;slut",
                                           "SB-101;15-02-2027;19-02-2027"])).created == 1
    with app.app_context(), db.fresh_session() as session:
        left = [s.starts_at.date() for s in session.scalars(select(Slot))]
    assert left == [date(2027, 2, 22)]  # the one inside the holiday went
