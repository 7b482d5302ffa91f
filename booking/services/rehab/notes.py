"""The plan's verdict on a case (``RehabCase.plan_note``) as a code with parameters.

The note is stored as a small JSON object (``{"code": "late", "meeting": "2027-03-16", ...}``) so
the web layer can word it in the reader's language; dates travel as ISO strings. The solver
gives each unplaced case a code with params (``solver.explain``); :func:`from_solver_reason`
keeps the rehabilitation codes (anything else becomes the general ``unplanned``). A note
written before notes were coded is plain text: the solver's English sentences are read back
into their codes (:func:`from_legacy_text`); any other text comes back as ``legacy``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from solver.solution import Unplanned

NoteParam = str | int | date

# parameters that hold a date (ISO in the stored JSON)
DATE_PARAMS = frozenset({"meeting", "first", "material_from", "first_meeting", "last_meeting"})

# the solver's codes for an unplaced rehabilitation case (solver/explain.py) and their params
_SOLVER_CODES: dict[str, tuple[str, ...]] = {
    "no_meeting_material": ("first", "material_from", "lead_days"),
    "no_meeting": ("first",),
    "no_capacity": ("first_meeting", "last_meeting", "places", "cases", "taken"),
}


@dataclass(frozen=True)
class PlanNote:
    """Why a case is not placed on time: ``code`` and the values its message shows."""

    code: str
    params: dict[str, NoteParam] = field(default_factory=dict)

    def encode(self) -> str:
        data: dict[str, Any] = {"code": self.code}
        for key, value in self.params.items():
            data[key] = value.isoformat() if isinstance(value, date) else value
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


_DAY = r"(\d{4}-\d{2}-\d{2})"
# the solver's English sentences (solver.explain.reason_text), as notes stored before notes
# were coded hold them: read back into codes so they are worded in the reader's language
_LEGACY: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    (
        re.compile(rf"^no rehabilitation meeting on or after {_DAY}$"),
        "no_meeting",
        ("first",),
    ),
    (
        re.compile(
            rf"^no rehabilitation meeting on or after {_DAY} \(material can be sent from "
            rf"{_DAY}, lead time (\d+) days\)$"
        ),
        "no_meeting_material",
        ("first", "material_from", "lead_days"),
    ),
    (
        re.compile(
            rf"^meetings from {_DAY} to {_DAY} have (\d+) places for (\d+) cases"
            r"(?: \((\d+) taken\))?(?:; add a meeting or places)?\.?$"
        ),
        "no_capacity",
        ("first_meeting", "last_meeting", "places", "cases", "taken"),
    ),
)


def from_legacy_text(text: str) -> PlanNote:
    """A note stored as the solver's English sentence, read back into its code; any other
    text is ``legacy`` (shown as "not planned", never as raw text)."""
    for pattern, code, names in _LEGACY:
        match = pattern.match(text.strip())
        if match is None:
            continue
        params: dict[str, NoteParam] = {}
        for name, value in zip(names, match.groups(), strict=True):
            if value is None:
                continue
            params[name] = date.fromisoformat(value) if name in DATE_PARAMS else int(value)
        return PlanNote(code, params)
    return PlanNote("legacy", {"text": text})


def decode(stored: str | None) -> PlanNote | None:
    """The note stored on a case (None when the case is on time)."""
    if not stored:
        return None
    try:
        data = json.loads(stored)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        return from_legacy_text(stored)
    params: dict[str, NoteParam] = {}
    for key, value in data.items():
        if key == "code":
            continue
        if key in DATE_PARAMS and isinstance(value, str):
            params[key] = date.fromisoformat(value)
        elif isinstance(value, str | int):
            params[key] = value
    return PlanNote(data["code"], params)


def from_solver_reason(reason: Unplanned | str | None) -> PlanNote:
    """The solver's reason for an unplaced case as a note: its code and params (dates back to
    dates); ``unplanned`` for any other code, and for a bare sentence (no code)."""
    if not isinstance(reason, Unplanned) or reason.code not in _SOLVER_CODES:
        return PlanNote("unplanned")
    params: dict[str, NoteParam] = {}
    for name in _SOLVER_CODES[reason.code]:
        value = reason.params.get(name)
        if name in DATE_PARAMS and isinstance(value, str):
            params[name] = date.fromisoformat(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            params[name] = value
        else:
            return PlanNote("unplanned")
    return PlanNote(reason.code, params)


def late(meeting: date, days_after_deadline: int) -> PlanNote:
    """Placed, but the first possible meeting lies after the deadline."""
    return PlanNote("late", {"meeting": meeting, "days": days_after_deadline})


MOVED_LATE = PlanNote("moved_late")
