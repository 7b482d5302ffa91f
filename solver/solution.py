"""The solution document `jobcenter-plan-solution/1`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .problem import ProblemError

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
        problems: list[str] = []
        if not isinstance(data, dict):
            raise ProblemError(["$: not a JSON object"])
        if data.get("format") != SOLUTION_FORMAT:
            problems.append(f"format: expected {SOLUTION_FORMAT!r}")
        status = data.get("status")
        if status not in STATUSES:
            problems.append(f"status: not one of {', '.join(STATUSES)}")

        def pairs(key: str, a: str, b: str) -> list[tuple[str, str]]:
            items = data.get(key, [])
            if not isinstance(items, list):
                problems.append(f"{key}: not a list")
                return []
            out = []
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    problems.append(f"{key}[{i}]: not an object")
                    continue
                ok = True
                for k in (a, b):
                    if not isinstance(item.get(k), str) or not item.get(k):
                        problems.append(f"{key}[{i}].{k}: " +
                                        ("missing" if k not in item else "not a non-empty string"))
                        ok = False
                if ok:
                    out.append((item[a], item[b]))
            return out

        conversations = pairs("conversations", "conversation", "slot")
        rehab = pairs("rehab", "case", "meeting")
        unplanned = pairs("unplanned", "id", "reason")
        stats = data.get("stats", {})
        if not isinstance(stats, dict):
            problems.append("stats: not an object")
            stats = {}
        if problems:
            raise ProblemError(problems)
        return cls(str(status), conversations, rehab, unplanned, stats)
