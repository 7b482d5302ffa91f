"""What staff do with the conversation plan from the web: start runs, plan chosen obligations,
accept proposals. Raw form values come in as text and are checked here.

* :func:`start_runs`: a run per chosen unit over a horizon of 1-52 weeks (trigger ``manual``);
  a unit that has a run queued or running keeps it (:func:`.runs.request_run` returns it). Bad
  input is :class:`FormErrors` (``units``: ``no_units``, ``unknown_unit``; ``weeks``:
  ``bad_weeks``) and nothing is started.
* :func:`plan_obligations`: "Planlæg de valgte" on the central-booking list: one request per
  unit of the chosen obligations (``trigger_detail`` ``{"obligations": [...]}``).
* :func:`accept_plans`: accept every pending proposal of the runs shown, those of one run (one
  unit), or the chosen rows. Every run concerned is re-checked first (a stale proposal, a
  superseded run, a missing dependency): one refusal and nothing is accepted. Each run is then
  accepted in a transaction of its own (:func:`.accept.accept_run`); should a later one lose a
  race, the earlier ones stay accepted and the summary says which.

Every run, unit and obligation is checked against the user's units (:mod:`.scope`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Citizen, Obligation, ObligationState, PlanTrigger
from ...principal import StaffPrincipal
from ...settings import Settings
from ..errors import FormErrors, ServiceError
from .accept import AcceptResult, accept_run, check_acceptance
from .errors import PlanningError
from .pages import parse_run_ids, visible_run
from .problem import MAX_WEEKS
from .rows import chunks
from .runs import request_run
from .scope import sees_unit, visible_units

MAX_CHOSEN = 5000  # proposal or obligation ids one form may carry


@dataclass(frozen=True)
class Started:
    run_ids: list[int]
    joined: list[int] = field(default_factory=list)  # runs that were running already


def _number(raw: str) -> int | None:
    text = str(raw).strip()
    return int(text) if text.isdigit() and 1 <= int(text) < 2**31 else None


def start_runs(
    session: Session,
    user: StaffPrincipal,
    *,
    units: Sequence[str],
    weeks: str | None,
    today: date,
) -> Started:
    """Start a run for each chosen unit (see the module docstring); commits per unit."""
    errors: dict[str, ServiceError] = {}
    allowed = {u.id for u in visible_units(session, user)}
    chosen: list[int] = []
    for raw in units:
        ident = _number(raw)
        if ident is None or ident not in allowed:
            errors["units"] = PlanningError("unknown_unit", unit=str(raw)[:40])
            break
        if ident not in chosen:
            chosen.append(ident)
    if not chosen and "units" not in errors:
        errors["units"] = PlanningError("no_units")
    horizon = _number(weeks or "")
    if horizon is None or horizon > MAX_WEEKS:
        errors["weeks"] = PlanningError("bad_weeks", weeks=str(weeks or "")[:20], max=MAX_WEEKS)
    if errors:
        raise FormErrors(errors)
    assert horizon is not None
    started: list[int] = []
    joined: list[int] = []
    for unit_id in chosen:
        made = request_run(session, unit_id, trigger=PlanTrigger.manual, staff_id=user.staff_id,
                           detail=None, today=today, weeks=horizon)
        started.append(made.run.id)
        if not made.created:
            joined.append(made.run.id)
    return Started(started, joined)


def plan_obligations(
    session: Session, user: StaffPrincipal, raw_ids: Sequence[str], *, today: date
) -> Started:
    """A run for each unit of the chosen open obligations; ``no_selection`` when none is
    chosen, ``unknown_obligations`` for an id that is not an open obligation of the user's
    units (nothing is started then)."""
    ids: list[int] = []
    for raw in raw_ids[:MAX_CHOSEN]:
        ident = _number(raw)
        if ident is None:
            raise PlanningError("unknown_obligations")
        if ident not in ids:
            ids.append(ident)
    if not ids:
        raise PlanningError("no_selection")
    unit_of: dict[int, int] = {}
    for part in chunks(ids):
        for ob_id, unit_id in session.execute(
                select(Obligation.id, Citizen.unit_id)
                .join(Citizen, Citizen.id == Obligation.citizen_id)
                .where(Obligation.id.in_(part), Obligation.state == ObligationState.open)):
            unit_of[ob_id] = unit_id
    if set(ids) - set(unit_of) or not all(sees_unit(user, u) for u in unit_of.values()):
        raise PlanningError("unknown_obligations")
    by_unit: dict[int, list[int]] = defaultdict(list)
    for ident in ids:
        by_unit[unit_of[ident]].append(ident)
    started: list[int] = []
    joined: list[int] = []
    for unit_id, obligations in sorted(by_unit.items()):
        made = request_run(session, unit_id, trigger=PlanTrigger.manual, staff_id=user.staff_id,
                           detail={"obligations": sorted(obligations)}, today=today)
        started.append(made.run.id)
        if not made.created:
            joined.append(made.run.id)
    return Started(started, joined)


@dataclass(frozen=True)
class Accepted:
    unit_id: int
    result: AcceptResult


@dataclass
class AcceptSummary:
    accepted: list[Accepted] = field(default_factory=list)
    refused: PlanningError | None = None  # a later run's refusal (the earlier ones stand)

    @property
    def bookings(self) -> int:
        return sum(len(a.result.created) + len(a.result.moved) for a in self.accepted)

    @property
    def messages(self) -> int:
        return sum(a.result.messages for a in self.accepted)


def _choice(choice: str, run_ids: list[int], chosen: Sequence[str]
            ) -> dict[int, list[int] | None]:
    """Which proposals of which runs: ``alle``, ``enhed-<run id>`` or ``valgte``."""
    if choice == "alle":
        return dict.fromkeys(run_ids)
    if choice.startswith("enhed-"):
        ident = _number(choice.removeprefix("enhed-"))
        if ident is None or ident not in run_ids:
            raise PlanningError("unknown_runs")
        return {ident: None}
    if choice != "valgte":
        raise PlanningError("no_selection")
    wanted: dict[int, list[int] | None] = {}
    for raw in chosen[:MAX_CHOSEN]:
        run_part, _, proposal_part = str(raw).partition(":")
        run_id, proposal_id = _number(run_part), _number(proposal_part)
        if run_id is None or proposal_id is None or run_id not in run_ids:
            raise PlanningError("unknown_proposals", proposals=[str(raw)[:40]])
        items = wanted.setdefault(run_id, [])
        assert items is not None
        if proposal_id not in items:
            items.append(proposal_id)
    if not wanted:
        raise PlanningError("no_selection")
    return wanted


def accept_plans(
    session: Session,
    user: StaffPrincipal,
    *,
    run_ids: Sequence[str],
    choice: str,
    chosen: Sequence[str],
    settings: Settings,
) -> AcceptSummary:
    """Accept proposals of the runs shown (see the module docstring)."""
    runs_shown = parse_run_ids(run_ids)
    wanted = _choice(choice, runs_shown, chosen)
    checked: list[tuple[int, int, list[int] | None]] = []
    for run_id, proposal_ids in wanted.items():
        run = visible_run(session, user, run_id)
        if choice == "alle" and not any(p["status"] == "proposed" for p in run.proposals or []):
            continue  # nothing left to accept in this one
        check_acceptance(session, run.id, settings=settings, unit_id=run.unit_id,
                         proposal_ids=proposal_ids)
        checked.append((run.id, run.unit_id, proposal_ids))
    if not checked:
        raise PlanningError("no_selection")
    summary = AcceptSummary()
    for run_id, unit_id, proposal_ids in checked:
        try:
            result = accept_run(session, run_id, staff_id=user.staff_id, unit_id=unit_id,
                                proposal_ids=proposal_ids, settings=settings)
        except PlanningError as err:
            if not summary.accepted:
                raise
            summary.refused = err
            break
        summary.accepted.append(Accepted(unit_id, result))
    return summary
