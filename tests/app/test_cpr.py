"""CPR numbers: validated with python-stdnum, hashed with a key, shown masked."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from booking.blueprints.lookup.messages import message as shown
from booking.db import db
from booking.models import AuditEntry, Role
from booking.services.citizens import find_by_cpr
from booking.services.security import CprError, cpr_digest, parse_cpr
from tests import factories
from tests.booking.catalogue import english_or_skip


def test_valid_cpr_gives_masked_form_birth_date_and_keyed_hash():
    info = parse_cpr("211062-1629", "key-a")
    assert info.masked == "211062-xxxx"
    assert info.birth_date == date(1962, 10, 21)
    assert "1629" not in info.digest and len(info.digest) == 64
    assert info.digest == cpr_digest("2110621629", "key-a")  # hyphen or not: same look-up
    assert info.digest != cpr_digest("2110621629", "key-b")  # keyed: another key, another hash


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12345", "10 cifre"),
        ("21106256x9", "kun indeholde cifre"),
        ("3213901234", "gyldig fødselsdato"),
        ("", "10 cifre"),
    ],
)
def test_invalid_cpr_is_refused_with_a_danish_message(raw, message):
    with pytest.raises(CprError) as err:
        parse_cpr(raw, "key")
    # the service gives a code; the look-up page's table turns it into the sentence shown
    assert message in shown(err.value)


CODES = [
    ("12345", "length", "CPR-nummeret skal have 10 cifre (ddmmåå-xxxx)."),
    ("21106256x9", "format", "CPR-nummeret må kun indeholde cifre og evt. en bindestreg."),
    ("3213901234", "birth_date", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),
    (" - ", "empty", "Skriv CPR-nummeret med 10 cifre (ddmmåå-xxxx)."),
]


@pytest.mark.parametrize(("raw", "code", "_danish"), CODES)
def test_invalid_cpr_is_a_code_not_a_sentence(raw, code, _danish):
    with pytest.raises(CprError) as err:
        parse_cpr(raw, "key")
    assert err.value.code == code and err.value.params == {}
    assert str(err.value) == code


@pytest.fixture
def searcher(app, login):
    """A call-in worker logged in, and one citizen whose full CPR number is known."""
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        user = factories.staff(s, Role.callin, unit_id=unit.id)
        citizen = factories.citizen(s, unit)
        s.commit()
        number = f"{citizen.birth_date:%d%m%y}{1000 + int(citizen.name.split()[-1]):04d}"
        found = (citizen.id, citizen.name, number, user.id)
    return login(app, user.username), found


@pytest.mark.parametrize(("raw", "code", "danish"), CODES)
def test_each_cpr_code_is_shown_in_danish_then_english(app, searcher, raw, code, danish):
    client, _ = searcher
    page = client.post("/borgere/", data={"cpr": raw})
    assert page.status_code == 422 and danish in page.text
    assert 'aria-invalid="true"' in page.text
    client.get("/sprog/en")
    page = client.post("/borgere/", data={"cpr": raw})
    assert page.status_code == 422 and 'lang="en"' in page.text
    assert english_or_skip(danish) in page.text


def test_find_by_cpr_commits_the_audit_entry_itself(app, searcher):
    _, (citizen_id, name, number, viewer_id) = searcher
    key = app.extensions["rettidig_settings"].security.cpr_hash_key
    with app.app_context():
        with db.fresh_session() as s:
            found = find_by_cpr(s, number, key, viewer_id=viewer_id)
            assert found is not None and found.name == name
            assert find_by_cpr(s, "0101010101", key, viewer_id=viewer_id) is None
        with db.fresh_session() as other:  # a second session sees both look-ups
            rows = other.execute(
                select(AuditEntry.action, AuditEntry.citizen_id)
                .where(AuditEntry.action.like("citizen_lookup%"))
                .order_by(AuditEntry.id)
            ).all()
    assert [tuple(r) for r in rows] == [
        ("citizen_lookup", citizen_id),
        ("citizen_lookup_miss", None),
    ]


def test_an_invalid_number_is_not_looked_up_nor_audited(app, searcher):
    _, (_, _, _, viewer_id) = searcher
    with app.app_context(), db.fresh_session() as s:
        with pytest.raises(CprError):
            find_by_cpr(s, "12", "key", viewer_id=viewer_id)
        s.rollback()
        assert s.scalars(select(AuditEntry).where(AuditEntry.action != "login")).all() == []
