"""The plan's verdict on a case (``RehabCase.plan_note``) as a code with parameters.

The note is stored as a small JSON object (``{"code": "late", "meeting": "2027-03-16", ...}``) so
the web layer can word it in the reader's language; dates travel as ISO strings. The solver
explains an unplaced case in English; :func:`from_solver_reason` turns its known sentences into
codes (anything else becomes the general ``unplanned``). A note written before notes were coded
is plain text: it comes back as ``legacy`` with the text, shown as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

NoteParam = str | int | date

# parameters that hold a date (ISO in the stored JSON)
DATE_PARAMS = frozenset({"meeting", "first", "material_from", "first_meeting", "last_meeting"})

_ISO = r"(\d{4}-\d{2}-\d{2})"
# the solver's reasons for an unplaced rehabilitation case (solver/explain.py)
_SOLVER_REASONS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    (
        "no_meeting_material",
        re.compile(
            rf"^no rehabilitation meeting on or after {_ISO} \(material can be sent from "
            rf"{_ISO}, lead time (\d+) days\)$"
        ),
        ("first", "material_from", "lead_days"),
    ),
    (
        "no_meeting",
        re.compile(rf"^no rehabilitation meeting on or after {_ISO}$"),
        ("first",),
    ),
    (
        "no_capacity",
        re.compile(
            rf"^meetings from {_ISO} to {_ISO} have (\d+) places for (\d+) cases "
            r"\((\d+) taken\); add a meeting or places$"
        ),
        ("first_meeting", "last_meeting", "places", "cases", "taken"),
    ),
)


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


def decode(stored: str | None) -> PlanNote | None:
    """The note stored on a case (None when the case is on time)."""
    if not stored:
        return None
    try:
        data = json.loads(stored)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        return PlanNote("legacy", {"text": stored})
    params: dict[str, NoteParam] = {}
    for key, value in data.items():
        if key == "code":
            continue
        if key in DATE_PARAMS and isinstance(value, str):
            params[key] = date.fromisoformat(value)
        elif isinstance(value, str | int):
            params[key] = value
    return PlanNote(data["code"], params)


def from_solver_reason(reason: str | None) -> PlanNote:
    """The solver's English reason for an unplaced case, as a code (``unplanned`` if unknown)."""
    for code, pattern, names in _SOLVER_REASONS:
        match = pattern.match(reason or "")
        if match is None:
            continue
        params: dict[str, NoteParam] = {}
        for name, text in zip(names, match.groups(), strict=True):
            params[name] = date.fromisoformat(text) if name in DATE_PARAMS else int(text)
        return PlanNote(code, params)
    return PlanNote("unplanned")


def late(meeting: date, days_after_deadline: int) -> PlanNote:
    """Placed, but the first possible meeting lies after the deadline."""
    return PlanNote("late", {"meeting": meeting, "days": days_after_deadline})


MOVED_LATE = PlanNote("moved_late")
