"""The scenario comparison as a page reads it: week rows with dates, the assumptions as keys
with plain values (the web layer words and formats them), and each pending scenario's
progress for the page's poller."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ...models import RehabScenario
from .export import ASSUMPTIONS
from .scenarios import chosen


@dataclass(frozen=True)
class WeekCell:
    share: float | None  # presented on time of those due that week (None: none due)
    late: float
    backlog: float


@dataclass(frozen=True)
class WeekRow:
    start: date  # the week's Monday
    cells: list[WeekCell]  # one per scenario, in the scenarios' order


@dataclass(frozen=True)
class Assumption:
    key: str  # one of export.ASSUMPTIONS' keys
    values: list[Any]  # one per scenario: a number, or a list of week numbers


@dataclass(frozen=True)
class ComparisonPage:
    scenarios: list[RehabScenario]
    pending: list[RehabScenario]  # not yet projected
    weeks: list[WeekRow]
    assumptions: list[Assumption]


def _weeks(scenarios: Sequence[RehabScenario]) -> list[WeekRow]:
    results = [s.result or {} for s in scenarios]
    count = min((len(r.get("weeks", [])) for r in results), default=0)
    rows = []
    for i in range(count):
        first = results[0]["weeks"][i]
        rows.append(
            WeekRow(
                date.fromisoformat(str(first["week_start"])),
                [
                    WeekCell(
                        r["weeks"][i].get("share"),
                        float(r["weeks"][i].get("late", 0)),
                        float(r["weeks"][i].get("backlog", 0)),
                    )
                    for r in results
                ],
            )
        )
    return rows


def comparison_page(session: Session, ids: Sequence[int]) -> ComparisonPage:
    """The scenarios asked for (:class:`~booking.services.errors.NotFound` if any is missing)."""
    scenarios = chosen(session, ids)
    pending = [s for s in scenarios if s.result is None]
    return ComparisonPage(
        scenarios,
        pending,
        [] if pending else _weeks(scenarios),
        [Assumption(key, [s.params.get(key) for s in scenarios]) for key, _label in ASSUMPTIONS],
    )


def scenario_progress(session: Session, scenario_id: int, now: datetime) -> dict[str, Any]:
    """A scenario's state for the page's poller: ``running`` until its figures are stored.
    :class:`~booking.services.errors.NotFound` for an unknown scenario."""
    found = chosen(session, [scenario_id])[0]
    session.refresh(found)  # the job writes the result in another session
    created = found.created_at if found.created_at.tzinfo else found.created_at.replace(tzinfo=UTC)
    done = found.result is not None
    return {
        "state": "done" if done else "running",
        "finished": done,
        "elapsed_s": round(max(0.0, (now - created).total_seconds())),
    }
