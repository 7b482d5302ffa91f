"""The solution document `jobcenter-plan-solution/1`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError

from .problem import ProblemError
from .schema import WORDING, Id
from .validation import invalid, issues, one_of, sorted_issues

SOLUTION_FORMAT = "jobcenter-plan-solution/1"
STATUSES = ("optimal", "feasible", "infeasible", "error")


@dataclass
class Solution:
    status: str
    conversations: list[tuple[str, str]] = field(default_factory=list)  # (conversation, slot)
    rehab: list[tuple[str, str]] = field(default_factory=list)  # (case, meeting)
    unplanned: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)
    stats: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": SOLUTION_FORMAT,
            "status": self.status,
            "conversations": [{"conversation": c, "slot": s} for c, s in self.conversations],
            "rehab": [{"case": c, "meeting": m} for c, m in self.rehab],
            "unplanned": [{"id": i, "reason": r} for i, r in self.unplanned],
            "stats": dict(self.stats),
        }

    @classmethod
    def from_json(cls, data: Any) -> Solution:
        """Read a solution document; malformed ones raise `ProblemError` with JSON paths."""
        if not isinstance(data, dict):
            raise ProblemError(["$: not a JSON object"])
        try:
            doc = SolutionDocument.model_validate(data)
        except ValidationError as exc:
            found = sorted_issues(SolutionDocument, issues(exc, WORDING))
            raise ProblemError([str(i) for i in found]) from None
        return cls(doc.status, [(p.conversation, p.slot) for p in doc.conversations],
                   [(p.case, p.meeting) for p in doc.rehab],
                   [(u.id, u.reason) for u in doc.unplanned], doc.stats)


def _format(value: Any) -> str:
    if value != SOLUTION_FORMAT:
        raise invalid(f"expected {SOLUTION_FORMAT!r}")
    return SOLUTION_FORMAT


class _Object(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ConversationPlacement(_Object):
    conversation: Id
    slot: Id


class RehabPlacement(_Object):
    case: Id
    meeting: Id


class UnplannedItem(_Object):
    id: Id
    reason: Id  # a reason a planner can act on: never empty


class SolutionDocument(_Object):
    """A `jobcenter-plan-solution/1` document (`plan-format.md`, "Solution")."""

    format: Annotated[str, PlainValidator(_format), Field(validate_default=True)] = ""
    status: Annotated[str, PlainValidator(one_of(STATUSES)), Field(validate_default=True)] = ""
    conversations: list[ConversationPlacement] = []
    rehab: list[RehabPlacement] = []
    unplanned: list[UnplannedItem] = []
    stats: dict[str, Any] = {}
