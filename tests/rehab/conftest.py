"""Helpers for the rehabilitation tests: a refusal's code read in Danish or English, as the
planner's pages word it (booking/blueprints/planner/messages.py)."""

from __future__ import annotations

from pathlib import Path

import flask
import pytest
from babel.messages.mofile import read_mo

from booking.blueprints.planner.messages import field_messages, message, note_text
from booking.services.errors import FormErrors
from booking.services.rehab.notes import PlanNote

MO = Path(__file__).resolve().parents[2] / "booking/translations/en/LC_MESSAGES/messages.mo"


def render(app, lang: str, thing):
    """A refusal (or form errors, or a plan note) in ``lang``, inside a request."""
    with app.test_request_context():
        flask.session["lang"] = lang
        if isinstance(thing, FormErrors):
            return field_messages(thing)
        if isinstance(thing, PlanNote):
            return note_text(thing)
        return message(thing)


@pytest.fixture
def in_danish(app):
    return lambda thing: render(app, "da", thing)


@pytest.fixture
def in_english(app):
    return lambda thing: render(app, "en", thing)


def needs_translation(msgid: str) -> None:
    """Fail unless ``msgid`` is in the compiled English catalogue."""
    with MO.open("rb") as fh:
        known = {m.id for m in read_mo(fh) if isinstance(m.id, str) and m.id and m.string}
    if msgid not in known:
        pytest.fail(f"not in the English catalogue: {msgid!r}")


def msgid_of(table, code: str) -> str:
    """The Danish source text of a lazily translated table entry."""
    entry = table[code]
    return entry._args[0] if hasattr(entry, "_args") else str(entry)
