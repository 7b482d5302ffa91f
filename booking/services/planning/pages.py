"""The conversation plan's pages as view-models: the start form, a set of runs, the progress.

* :func:`start_page`: the units the user plans (:mod:`.scope`), the default horizon and each
  unit's latest runs (reads only);
* :func:`plan_page`: one or more runs (one per unit) with their figures, their proposals and
  their unplanned conversations, the ids resolved to names, times and both deadlines (the
  statutory one, *lovens frist*, and the planned one, *planlagt senest*), the proposals whose
  rows have changed since (:func:`.accept.stale_proposal_ids`) marked; the citizens shown are
  audited (``plan_run_view``) in the same transaction, committed before the page is returned;
* :func:`run_progress`: a run's stage, elapsed seconds and conversations so far (the JSON the
  page polls; reads only).

Run ids come in as raw text (a query string); anything that is not the id of a run the user may
see is :class:`~.errors.PlanningError` ``unknown_runs`` or :class:`NotFound`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import Caseworker, Citizen, Obligation, PlanRun, PlanRunState, Slot, Unit
from ...principal import StaffPrincipal
from ...settings import Settings
from ..callin.history import record_seen
from ..errors import NotFound
from .accept import ACCEPTABLE, stale_proposal_ids
from .errors import PlanningError
from .problem import MAX_WEEKS
from .rows import as_utc, chunks
from .runs import ACTIVE, get_run
from .scope import sees_unit, visible_units

MAX_RUNS_SHOWN = 20  # run ids one page shows at most
LATEST_PER_UNIT = 3
FINISHED = ("done", "failed", "accepted", "superseded")


def parse_run_ids(raw: Iterable[str]) -> list[int]:
    """Run ids from a query string, in order, each once; ``unknown_runs`` for anything else."""
    out: list[int] = []
    for item in raw:
        text = str(item).strip()
        if not text.isdigit() or not 1 <= int(text) < 2**31:
            raise PlanningError("unknown_runs")
        if int(text) not in out:
            out.append(int(text))
    if not out or len(out) > MAX_RUNS_SHOWN:
        raise PlanningError("unknown_runs")
    return out


# --- the start form ------------------------------------------------------------------------


@dataclass(frozen=True)
class RunLine:
    id: int
    state: str
    trigger: str
    created_at: datetime
    figures: dict[str, Any] | None


@dataclass(frozen=True)
class UnitLine:
    id: int
    code: str
    name: str
    runs: list[RunLine]  # newest first

    @property
    def active(self) -> RunLine | None:
        return next((r for r in self.runs if r.state in ("queued", "running")), None)


@dataclass(frozen=True)
class StartPage:
    units: list[UnitLine]
    default_weeks: int
    max_weeks: int


def start_page(session: Session, user: StaffPrincipal, settings: Settings) -> StartPage:
    """The units the user may plan, with their latest runs. Reads only."""
    units = visible_units(session, user)
    latest: dict[int, list[RunLine]] = {u.id: [] for u in units}
    for part in chunks(list(latest)):
        for run in session.scalars(select(PlanRun).where(PlanRun.unit_id.in_(part))
                                   .order_by(PlanRun.id.desc())):
            lines = latest[run.unit_id]
            if len(lines) < LATEST_PER_UNIT:
                lines.append(RunLine(run.id, run.state.value, run.trigger.value,
                                     as_utc(run.created_at), run.figures))
    return StartPage([UnitLine(u.id, u.code, u.name, latest[u.id]) for u in units],
                     settings.planning.horizon_weeks, MAX_WEEKS)


# --- a set of runs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversation:
    """Who and what a proposal or an unplanned item is about."""

    citizen_id: int
    obligation_id: int | None
    citizen_name: str
    cpr_masked: str
    label_da: str
    label_en: str
    deadline: date | None  # planlagt senest
    statutory_deadline: date | None  # lovens frist


@dataclass(frozen=True)
class Time:
    starts_at: datetime  # aware UTC
    minutes: int
    channel: str
    location: str | None
    caseworker_name: str


@dataclass(frozen=True)
class ProposalRow:
    id: int
    kind: str  # "new" or "move"
    status: str  # "proposed" or "accepted"
    who: Conversation
    time: Time | None  # None: the slot no longer exists
    was: Time | None  # a move: the time it moves from
    on_time: bool
    reason: str | None  # a move's reason code
    reason_params: dict[str, Any]
    needs: list[int]
    stale: bool


@dataclass(frozen=True)
class UnplannedRow:
    who: Conversation
    code: str
    params: dict[str, Any]  # the solver's, with names and the horizon's end added


@dataclass(frozen=True)
class RunView:
    run: PlanRun
    unit_name: str
    proposals: list[ProposalRow] = field(default_factory=list)
    unplanned: list[UnplannedRow] = field(default_factory=list)
    newer_run_id: int | None = None  # a newer finished run of the unit replaced this one

    @property
    def finished(self) -> bool:
        return self.run.state.value in FINISHED

    @property
    def pending(self) -> list[ProposalRow]:
        return [p for p in self.proposals if p.status == "proposed"]

    @property
    def stale(self) -> list[int]:
        return [p.id for p in self.proposals if p.stale]

    @property
    def acceptable(self) -> bool:
        return (self.run.state in ACCEPTABLE and self.newer_run_id is None
                and bool(self.pending))

    @property
    def weeks(self) -> int:
        days = (self.run.horizon_end - self.run.horizon_start).days
        return max(1, min(MAX_WEEKS, days // 7))

    @property
    def weight(self) -> float | None:
        value = (self.run.figures or {}).get("on_time_weight")
        return float(value) if value is not None else None

    @property
    def bound(self) -> float | None:
        value = (self.run.figures or {}).get("upper_bound_on_time_weight")
        return float(value) if value is not None else None

    @property
    def share(self) -> float | None:
        """The on-time weight as a share of the proven bound."""
        if self.weight is None or not self.bound:
            return None
        return self.weight / self.bound


@dataclass(frozen=True)
class PlanPage:
    runs: list[RunView]

    @property
    def running(self) -> bool:
        return any(not view.finished for view in self.runs)

    @property
    def run_ids(self) -> list[int]:
        return [view.run.id for view in self.runs]

    @property
    def acceptable(self) -> bool:
        return any(view.acceptable for view in self.runs)


def visible_run(session: Session, user: StaffPrincipal, run_id: int) -> PlanRun:
    """A run of one of the user's units; :class:`NotFound` otherwise. Reads only."""
    run = get_run(session, run_id)
    if not sees_unit(user, run.unit_id):
        raise NotFound("plan_run")
    return run


def plan_page(
    session: Session, user: StaffPrincipal, raw_ids: Sequence[str], settings: Settings
) -> PlanPage:
    """The runs named by ``raw_ids`` (see the module docstring); audits the citizens shown and
    commits."""
    ids = parse_run_ids(raw_ids)
    with transaction(session):
        found = [visible_run(session, user, run_id) for run_id in ids]
        names = _Names(session, found)
        views = [_view(session, run, names, settings) for run in found]
        for view in views:
            shown = [p.who.citizen_id for p in view.proposals]
            shown += [u.who.citizen_id for u in view.unplanned]
            record_seen(session, user.staff_id, "plan_run_view", shown, object_type="plan_run",
                        object_id=view.run.id)
    return PlanPage(views)


def _view(session: Session, run: PlanRun, names: _Names, settings: Settings) -> RunView:
    unit_name = names.units.get(run.unit_id, str(run.unit_id))
    if run.state in ACTIVE or run.state == PlanRunState.failed:
        return RunView(run, unit_name)
    newer = session.scalar(select(func.max(PlanRun.id)).where(
        PlanRun.unit_id == run.unit_id, PlanRun.id > run.id, PlanRun.state.in_(ACCEPTABLE)))
    stale: set[int] = set()
    if run.state in ACCEPTABLE and newer is None:
        stale = set(stale_proposal_ids(session, run.id, settings=settings))
    proposals = [names.proposal(p, p["id"] in stale) for p in run.proposals or []]
    end = run.horizon_end.isoformat()
    unplanned = [names.unplanned(u, end) for u in run.unplanned or []]
    return RunView(run, unit_name, proposals, unplanned, newer)


class _Names:
    """The rows the runs' ids stand for, loaded once for the whole page."""

    def __init__(self, session: Session, found: Sequence[PlanRun]) -> None:
        items = [p for run in found for p in run.proposals or []]
        items += [u for run in found for u in run.unplanned or []]
        slot_ids = {p["slot_id"] for run in found for p in run.proposals or []}
        slot_ids |= {p["from_slot_id"] for run in found for p in run.proposals or []
                     if p.get("from_slot_id")}
        self.citizens = _load(session, Citizen, {i["citizen_id"] for i in items})
        self.obligations = _load(session, Obligation, {i["obligation_id"] for i in items
                                                       if i.get("obligation_id")})
        self.slots = _load(session, Slot, slot_ids)
        worker_ids = {s.caseworker_id for s in self.slots.values()}
        worker_ids |= {int(u["params"]["caseworker_id"]) for u in items
                       if isinstance(u.get("params"), dict) and u["params"].get("caseworker_id")}
        self.workers = {w.id: w.name for w in _load(session, Caseworker, worker_ids).values()}
        self.units = {u.id: u.name for u in session.scalars(select(Unit))}

    def who(self, item: dict[str, Any]) -> Conversation:
        citizen = self.citizens.get(item["citizen_id"])
        ob = self.obligations.get(item.get("obligation_id") or 0)
        deadline = date.fromisoformat(item["deadline"]) if item.get("deadline") else None
        return Conversation(
            item["citizen_id"], item.get("obligation_id"), citizen.name if citizen else "?",
            citizen.cpr_masked if citizen else "", ob.label_da if ob else "",
            ob.label_en if ob else "", ob.deadline if ob else deadline,
            ob.statutory_deadline if ob else None)

    def time(self, slot_id: int | None) -> Time | None:
        slot = self.slots.get(slot_id or 0)
        if slot is None:
            return None
        return Time(as_utc(slot.starts_at), slot.minutes, slot.channel.value, slot.location,
                    self.workers.get(slot.caseworker_id, ""))

    def proposal(self, p: dict[str, Any], stale: bool) -> ProposalRow:
        reason = p.get("reason") or {}
        params = dict(reason.get("params") or {})
        if params.get("for_citizen") in self.citizens:
            params["for_citizen_name"] = self.citizens[params["for_citizen"]].name
        return ProposalRow(
            p["id"], p["kind"], p["status"], self.who(p), self.time(p["slot_id"]),
            self.time(p.get("from_slot_id")), bool(p.get("on_time")), reason.get("code"),
            params, list(p.get("needs") or []), stale)

    def unplanned(self, u: dict[str, Any], horizon_end: str) -> UnplannedRow:
        params = dict(u.get("params") or {})
        if params.get("caseworker_id") is not None:
            params["caseworker_name"] = self.workers.get(int(params["caseworker_id"]), "")
        unit_id = params.get("unit_id")
        if unit_id is None and u.get("code") == "no_caseworker":
            unit_id = params.get("unit")
        if isinstance(unit_id, int):
            params["unit_name"] = self.units.get(unit_id, str(unit_id))
        params.setdefault("horizon_end", horizon_end)
        if u.get("reason"):
            params.setdefault("text", u["reason"])
        return UnplannedRow(self.who(u), str(u.get("code") or "unplanned"), params)


def _load(session: Session, model: Any, ids: Iterable[int]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for part in chunks([i for i in ids if i is not None]):
        out.update((row.id, row) for row in session.scalars(
            select(model).where(model.id.in_(part))))
    return out


# --- progress -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RunProgress:
    run_id: int
    unit_id: int
    state: str
    stage: str
    elapsed_s: float
    conversations: int

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


def run_progress(session: Session, user: StaffPrincipal, run_id: int) -> RunProgress:
    """How far a run has come (its own short transactions keep it current). Reads only."""
    run = visible_run(session, user, run_id)
    progress = run.progress or {}
    return RunProgress(run.id, run.unit_id, run.state.value, run.stage,
                       float(progress.get("elapsed_s") or 0.0),
                       int(progress.get("conversations") or 0))
