"""Danish is the source language; every message has an English translation, compiled."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "booking/translations/en/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")


def test_every_source_message_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    source_ids = {m.id for m in read_po(pot.open("rb")) if m.id}
    with PO.open("rb") as fh:
        translated = {m.id for m in read_po(fh) if m.id and m.string}
    assert source_ids - translated == set(), "run pybabel update and translate"


def test_compiled_catalogue_matches_the_po_file():
    def key(value):  # a plural message's id and strings are sequences
        return tuple(value) if isinstance(value, list | tuple) else value

    with PO.open("rb") as fh:
        po = {key(m.id): key(m.string) for m in read_po(fh) if m.id}
    with MO.open("rb") as fh:
        mo = {key(m.id): key(m.string) for m in read_mo(fh) if m.id}
    assert po == mo, "run pybabel compile -d booking/translations"
