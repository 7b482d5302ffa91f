"""The solution document `jobcenter-plan-solution/1`.

Each `unplanned` item carries, besides the English `reason`, a `code` and its `params`
(`solver.explain` lists them): a compatible extension of the contract (extra fields). A
document written before codes reads with the general code `unplanned` and no params.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError

from .explain import GENERAL_CODE
from .problem import ProblemError
from .schema import WORDING, Id
from .validation import invalid, issues, one_of, sorted_issues

SOLUTION_FORMAT = "jobcenter-plan-solution/1"
STATUSES = ("optimal", "feasible", "infeasible", "error")


class Unplanned(tuple[str, str]):
    """An unplanned item: unpacks, indexes and compares as the `(id, reason)` pair it always
    was, and carries the reason's `code` and `params` beside it."""

    code: str
    params: dict[str, Any]

    def __new__(cls, id: str, reason: str, code: str = GENERAL_CODE,
                params: Mapping[str, Any] | None = None) -> Unplanned:
        item = super().__new__(cls, (id, reason))
        item.code = code
        item.params = dict(params or {})
        return item

    def __getnewargs__(self) -> tuple[str, str, str, dict[str, Any]]:
        return self[0], self[1], self.code, self.params

    def __repr__(self) -> str:
        return f"Unplanned({self[0]!r}, {self[1]!r}, {self.code!r}, {self.params!r})"

    @property
    def id(self) -> str:
        return self[0]

    @property
    def reason(self) -> str:
        return self[1]

    def to_json(self) -> dict[str, Any]:
        return {"id": self[0], "reason": self[1], "code": self.code, "params": dict(self.params)}


def unplanned_items(items: Iterable[tuple[str, str]]) -> list[Unplanned]:
    """`Unplanned` items from items or plain `(id, reason)` pairs (general code)."""
    return [u if isinstance(u, Unplanned) else Unplanned(u[0], u[1]) for u in items]


@dataclass
class Solution:
    status: str
    conversations: list[tuple[str, str]] = field(default_factory=list)  # (conversation, slot)
    rehab: list[tuple[str, str]] = field(default_factory=list)  # (case, meeting)
    # (id, reason) with .code and .params; plain pairs are accepted and get the general code
    unplanned: list[Unplanned] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.unplanned = unplanned_items(self.unplanned)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": SOLUTION_FORMAT,
            "status": self.status,
            "conversations": [{"conversation": c, "slot": s} for c, s in self.conversations],
            "rehab": [{"case": c, "meeting": m} for c, m in self.rehab],
            "unplanned": [u.to_json() for u in self.unplanned],
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
                   [Unplanned(u.id, u.reason, u.code or GENERAL_CODE, u.params)
                    for u in doc.unplanned], doc.stats)


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
    code: Id | None = None  # absent in documents written before codes
    params: dict[str, Any] = {}


class SolutionDocument(_Object):
    """A `jobcenter-plan-solution/1` document (`plan-format.md`, "Solution")."""

    format: Annotated[str, PlainValidator(_format), Field(validate_default=True)] = ""
    status: Annotated[str, PlainValidator(one_of(STATUSES)), Field(validate_default=True)] = ""
    conversations: list[ConversationPlacement] = []
    rehab: list[RehabPlacement] = []
    unplanned: list[UnplannedItem] = []
    stats: dict[str, Any] = {}
