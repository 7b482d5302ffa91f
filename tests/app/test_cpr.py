"""CPR numbers: validated with python-stdnum, hashed with a key, shown masked."""

from __future__ import annotations

from datetime import date

import pytest

from booking.services.security import CprError, cpr_digest, parse_cpr


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
    assert message in err.value.message_da
