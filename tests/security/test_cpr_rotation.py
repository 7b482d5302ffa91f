"""Rotating the CPR hash key: look-ups fall back to the previous key and re-hash the row;
``flask cpr-rehash`` moves every other row and counts what is left (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from stdnum.dk import cpr as stdnum_cpr

from booking.db import db
from booking.models import AuditEntry, Citizen, Role, StaffUser
from booking.services.citizens import find_by_cpr
from booking.services.cpr_keys import CprKeys, _candidates, rehash_all
from booking.services.security import cpr_digest
from tests import factories
from tests.conftest import make_app

OLD = "old-cpr-key-" + "o" * 30
NEW = "new-cpr-key-" + "n" * 30
# number → birth date (the 7th digit 4 with year 10 is 2010)
PEOPLE = {
    "0101901234": date(1990, 1, 1),
    "1502854321": date(1985, 2, 15),
    "0303104007": date(2010, 3, 3),
}


@pytest.fixture
def rotated(any_db_url):
    """An app on the new key with the old one as previous; the citizens were hashed with the
    old key, plus one row of a key older still. Yields (app, {number: citizen id}, stray id)."""
    app = make_app(any_db_url, security={"cpr_hash_key": NEW, "cpr_hash_key_previous": OLD})
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        factories.staff(s, Role.caseworker, unit_id=unit.id)
        ids = {}
        for number, birth in PEOPLE.items():
            citizen = factories.citizen(s, unit, birth=birth)
            citizen.cpr_hash = cpr_digest(number, OLD)
            ids[number] = citizen.id
        stray = factories.citizen(s, unit, birth=date(1970, 6, 1))
        stray.cpr_hash = cpr_digest("0106701111", "a key from before the previous one")
        s.commit()
        stray_id = stray.id
    yield app, ids, stray_id
    with app.app_context():
        db.engine.dispose()


def _hash_of(app, citizen_id: int) -> str:
    with app.app_context(), db.fresh_session() as s:
        return s.get(Citizen, citizen_id).cpr_hash


def test_the_candidates_are_every_number_of_the_birth_date():
    for number, birth in PEOPLE.items():
        numbers = list(_candidates(birth))
        assert number in numbers and len(numbers) == len(set(numbers))
        assert {stdnum_cpr.get_birth_date(n) for n in numbers[::97]} == {birth}
    assert len(list(_candidates(date(1990, 1, 1)))) == 6000  # 0-3, 4 and 9 are the 1900s
    assert len(list(_candidates(date(2010, 3, 3)))) == 6000  # 4-9 below 37 are the 2000s


def test_a_look_up_finds_a_row_of_the_previous_key_and_re_hashes_it(rotated):
    app, ids, _ = rotated
    number = "0101901234"
    with app.app_context(), db.fresh_session() as s:
        found = find_by_cpr(s, number, NEW, viewer_id=1, previous_key=OLD)
        assert found is not None and found.id == ids[number]
    assert _hash_of(app, ids[number]) == cpr_digest(number, NEW)
    with app.app_context(), db.fresh_session() as s:  # now found by the current key alone
        assert find_by_cpr(s, number, NEW, viewer_id=1).id == ids[number]
        # without the previous key, a row not yet moved is not found
        assert find_by_cpr(s, "1502854321", NEW, viewer_id=1) is None


def test_the_staff_search_page_finds_and_re_hashes(rotated, login):
    app, ids, _ = rotated
    with app.app_context(), db.fresh_session() as s:
        username = s.scalars(select(StaffUser.username)).first()
    page = login(app, username).post("/borgere/", data={"cpr": "150285-4321"})
    assert page.status_code == 200
    assert _hash_of(app, ids["1502854321"]) == cpr_digest("1502854321", NEW)


def test_cpr_rehash_moves_every_row_of_the_previous_key(rotated):
    app, ids, stray = rotated
    keys = CprKeys(NEW, OLD)
    with app.app_context(), db.fresh_session() as s:
        counted = rehash_all(s, keys, dry_run=True)
    assert (counted.rows, counted.previous, counted.rehashed, counted.left) == (4, 3, 0, 3)
    assert _hash_of(app, ids["0101901234"]) == cpr_digest("0101901234", OLD)  # dry: unchanged
    with app.app_context(), db.fresh_session() as s:
        report = rehash_all(s, keys)
    assert (report.previous, report.rehashed, report.duplicates, report.left) == (3, 3, 0, 0)
    for number, citizen_id in ids.items():
        assert _hash_of(app, citizen_id) == cpr_digest(number, NEW)
    assert _hash_of(app, stray) == cpr_digest("0106701111", "a key from before the previous one")
    with app.app_context(), db.fresh_session() as s:
        again = rehash_all(s, keys)
        assert (again.previous, again.rehashed) == (0, 0)
        details = s.scalars(
            select(AuditEntry.detail)
            .where(AuditEntry.action == "cpr_rehash")
            .order_by(AuditEntry.id)
        ).all()
    assert [d["rehashed"] for d in details] == [0, 3, 0]
    assert all(set(d) == {"rows", "previous", "rehashed", "duplicates", "dry_run"} for d in details)


def test_a_number_under_both_keys_is_left_for_a_person(rotated):
    app, ids, _ = rotated
    with app.app_context(), db.fresh_session() as s:
        twin = factories.citizen(s, s.get(Citizen, ids["0101901234"]).unit, birth=date(1990, 1, 1))
        twin.cpr_hash = cpr_digest("0101901234", NEW)
        s.commit()
        report = rehash_all(s, CprKeys(NEW, OLD))
    assert (report.previous, report.rehashed, report.duplicates, report.left) == (3, 2, 1, 1)
    assert "merge the two citizens by hand" in report.summary()
    assert _hash_of(app, ids["0101901234"]) == cpr_digest("0101901234", OLD)


def test_the_cli_reports_counts_and_never_a_number(rotated):
    app, ids, _ = rotated
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["cpr-rehash", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "3 would be re-hashed to CPR_HASH_KEY" in dry.output
    assert "3 rows still carry a hash of CPR_HASH_KEY_PREVIOUS" in dry.output
    done = runner.invoke(args=["cpr-rehash"])
    assert done.exit_code == 0, done.output
    assert "4 citizens; 3 carried a hash of CPR_HASH_KEY_PREVIOUS" in done.output
    assert "0 rows still carry a hash of CPR_HASH_KEY_PREVIOUS; it may be removed" in done.output
    for number in PEOPLE:
        assert number[:6] not in dry.output + done.output


def test_the_cli_needs_a_previous_key(app, runner):
    result = runner.invoke(args=["cpr-rehash"])
    assert result.exit_code == 1
    assert "CPR_HASH_KEY_PREVIOUS is not set" in result.output
