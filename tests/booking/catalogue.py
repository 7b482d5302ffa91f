"""The compiled English catalogue, as the tests read it.

A page in English must show the catalogue's English for a Danish message. Messages new in this
change are not in the catalogue until the translators merge them (the catalogue is edited
separately); until then the test that needs one is skipped, naming the msgid.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

MO = Path(__file__).resolve().parents[2] / "booking/translations/en/LC_MESSAGES/messages.mo"


@lru_cache(maxsize=1)
def _english() -> dict[str, str]:
    with MO.open("rb") as fh:
        return {m.id: m.string for m in read_mo(fh) if isinstance(m.id, str) and m.string}


def english_or_skip(danish: str) -> str:
    """The English for the msgid ``danish``; fails when the compiled catalogue lacks it
    (tests/app/test_translations.py requires every msgid translated)."""
    english = _english().get(danish)
    if not english:
        pytest.fail(f"msgid not in the English catalogue: {danish!r}")
    return english
