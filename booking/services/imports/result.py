"""What an import did or would do: counts per outcome and every refused row (the view-model of
the result page and the CLI's report)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SHOWN_ERRORS = 500  # rows listed on the result page; the count always covers all


@dataclass(frozen=True)
class RowError:
    """One refusal: the spreadsheet row (1 = the header), the column (as written in the
    documented format; "" for the whole row or file) and a code with its parameters."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    format: str = ""
    rows: int = 0  # data rows read
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False  # True once a real import has committed
    citizens_recomputed: int = 0  # citizens whose obligations were recomputed

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:SHOWN_ERRORS]

    @property
    def hidden_errors(self) -> int:
        return max(0, len(self.errors) - SHOWN_ERRORS)

    def counts(self) -> dict[str, Any]:
        """The figures for the audit trail (no row content, so never a CPR number)."""
        return {
            "format": self.format,
            "rows": self.rows,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "errors": len(self.errors),
            "bad_rows": self.bad_rows,
            "dry_run": self.dry_run,
            "written": self.written,
            "citizens_recomputed": self.citizens_recomputed,
        }
