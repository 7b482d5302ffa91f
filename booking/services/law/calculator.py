"""The rule calculator: obligations for a made-up case, for staff and for checking the sets.

Input arrives as text (the CLI's options, the page's fields) and is parsed here: each refusal is
a :class:`CalculatorError` naming the field (``group``, ``start``, ``rule_set``, ``held``,
``pause``, ``birth_date``, ``today``), for a repeated one the 1-based ``index``, and the
offending ``value``. A held event is ``DATE[:KIND[:HOLDER]]`` (kind: conversation, offer,
rehab_presentation, reassessment; holder: jobcentre, unemployment_fund, joint — the job centre
with the fund present — or fund_declined — a joint conversation whose citizen declined the
fund); a pause is ``FROM:TO`` or ``FROM:`` (still running).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ... import rules
from ...models import TARGET_GROUPS, HeldKind
from ..errors import ServiceError
from ..obligations import HORIZON_DAYS, rule_set_of
from .context import AUTO, LawConfig, law_context

# holder token → (holder, joint, fund declined)
HOLDERS: dict[str, tuple[str, bool, bool]] = {
    "jobcentre": ("jobcentre", False, False),
    "unemployment_fund": ("unemployment_fund", False, False),
    "joint": ("jobcentre", True, False),
    "fund_declined": ("jobcentre", False, True),
}
KINDS = tuple(k.value for k in HeldKind)


class CalculatorError(ServiceError):
    """Codes: ``required``, ``not_a_date``, ``unknown_group``, ``unknown_rule_set``,
    ``bad_held``, ``unknown_kind``, ``unknown_holder``, ``bad_pause``, ``pause_order``,
    ``no_rule_set``, ``birth_date_required``."""

    def __init__(self, code: str, *, field: str, index: int | None = None,
                 value: str = "") -> None:
        super().__init__(code, field=field, index=index, value=value)
        self.field = field
        self.index = index
        self.value = value


@dataclass(frozen=True)
class CalculatorQuery:
    group: str
    start: date
    rule_set: str | None  # None: by due date
    held: tuple[rules.HeldConversation, ...]
    pauses: tuple[rules.Pause, ...]
    birth_date: date | None
    today: date


def _date(text: str | None, field: str, index: int | None = None, *,
          required: bool = False) -> date | None:
    raw = (text or "").strip()
    if not raw:
        if required:
            raise CalculatorError("required", field=field, index=index)
        return None
    try:
        if len(raw) == 10:  # YYYY-MM-DD only (fromisoformat also takes YYYYMMDD)
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise CalculatorError("not_a_date", field=field, index=index, value=raw)


def parse_held(text: str, index: int) -> rules.HeldConversation:
    parts = text.strip().split(":")
    if not parts[0] or len(parts) > 3:
        raise CalculatorError("bad_held", field="held", index=index, value=text)
    day = _date(parts[0], "held", index, required=True)
    assert day is not None
    kind = (parts[1] if len(parts) > 1 else "").strip() or "conversation"
    if kind not in KINDS:
        raise CalculatorError("unknown_kind", field="held", index=index, value=kind)
    token = (parts[2] if len(parts) > 2 else "").strip() or "jobcentre"
    if token not in HOLDERS:
        raise CalculatorError("unknown_holder", field="held", index=index, value=token)
    holder, joint, declined = HOLDERS[token]
    return rules.HeldConversation(day, joint=joint, kind=kind, holder=holder,
                                  fund_declined=declined)


def parse_pause(text: str, index: int) -> rules.Pause:
    parts = text.strip().split(":")
    if len(parts) != 2 or not parts[0].strip():
        raise CalculatorError("bad_pause", field="pause", index=index, value=text)
    start = _date(parts[0], "pause", index, required=True)
    end = _date(parts[1], "pause", index)
    assert start is not None
    if end is not None and end < start:
        raise CalculatorError("pause_order", field="pause", index=index, value=text)
    return rules.Pause(start, end, "")


def parse_query(
    *,
    group: str | None,
    start: str | None,
    rule_set: str | None,
    held: Sequence[str],
    pauses: Sequence[str],
    birth_date: str | None,
    today: str | None,
    default_today: date,
) -> CalculatorQuery:
    """Check every field in order and build the query (first problem raised)."""
    name = (group or "").strip()
    if not name:
        raise CalculatorError("required", field="group")
    if name not in TARGET_GROUPS:
        raise CalculatorError("unknown_group", field="group", value=name)
    first = _date(start, "start", required=True)
    assert first is not None
    chosen = (rule_set or "").strip() or AUTO
    if chosen != AUTO and chosen not in rules.available_rule_sets():
        raise CalculatorError("unknown_rule_set", field="rule_set", value=chosen)
    events = tuple(parse_held(text, i) for i, text in enumerate(held, 1) if text.strip())
    stops = tuple(parse_pause(text, i) for i, text in enumerate(pauses, 1) if text.strip())
    born = _date(birth_date, "birth_date")
    day = _date(today, "today") or default_today
    return CalculatorQuery(name, first, None if chosen == AUTO else chosen, events, stops,
                           born, day)


@dataclass(frozen=True)
class CalculatorResult:
    query: CalculatorQuery
    until: date
    obligations: list[rules.Obligation]


def calculate(
    query: CalculatorQuery, closed: frozenset[date], *, horizon_days: int = HORIZON_DAYS
) -> CalculatorResult:
    """The obligations of the query's case whose period starts by ``today + horizon_days``."""
    until = max(query.today, query.start) + timedelta(days=horizon_days)
    try:
        found = rules.obligations_in_force(
            query.group, query.start, list(query.held), until=until,
            birth_date=query.birth_date, pauses=query.pauses, closed=closed,
            rule_set=query.rule_set,
        )
    except rules.RuleSetError:
        raise CalculatorError("no_rule_set", field="start",
                              value=query.start.isoformat()) from None
    except ValueError:
        raise CalculatorError("birth_date_required", field="birth_date") from None
    return CalculatorResult(query, until, list(found))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def obligation_json(ob: rules.Obligation) -> dict[str, Any]:
    """One obligation as the CLI prints it (``--json``)."""
    return {
        "key": ob.key,
        "kind": ob.kind,
        "holder": ob.holder,
        "joint": ob.joint,
        "mandatory": ob.mandatory,
        "earliest": _iso(ob.earliest),
        "statutory_deadline": _iso(ob.statutory_deadline),
        "planning_deadline": _iso(ob.deadline),
        "fulfilled_on": _iso(ob.fulfilled_on),
        "rule_set": rule_set_of(ob),
        "rule_id": ob.requirement_id,
        "source": ob.source,
        "verified": ob.verified,
        "label_da": ob.label_da,
        "label_en": ob.label_en,
    }


def result_json(result: CalculatorResult) -> dict[str, Any]:
    q = result.query
    return {
        "group": q.group,
        "start": q.start.isoformat(),
        "rule_set": q.rule_set or AUTO,
        "today": q.today.isoformat(),
        "until": result.until.isoformat(),
        "obligations": [obligation_json(ob) for ob in result.obligations],
    }


# --- the page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSetInfo:
    id: str
    name_da: str
    name_en: str
    effective_from: date
    effective_to: date | None


def rule_set_infos() -> list[RuleSetInfo]:
    """The packaged sets, oldest first (the calculator's choices)."""
    infos = []
    for code in rules.available_rule_sets():
        rs = rules.load_rule_set(code)
        infos.append(RuleSetInfo(rs.id, rs.name_da, rs.name_en, rs.effective_from,
                                 rs.effective_to))
    return infos


@dataclass(frozen=True)
class CalculatorPage:
    rule_sets: list[RuleSetInfo]
    result: CalculatorResult | None = None
    error: CalculatorError | None = None


def calculator_page(
    session: Session,
    *,
    group: str | None,
    start: str | None,
    rule_set: str | None,
    held: Sequence[str],
    pauses: Sequence[str],
    birth_date: str | None,
    today: str | None,
    default_today: date,
    optional_closed: tuple[str, ...],
    asked: bool,
) -> CalculatorPage:
    """The calculator's page: the choices, and when ``asked`` the result or the first
    refusal. Closed days are the public holidays and the local closed days (reading)."""
    infos = rule_set_infos()
    if not asked:
        return CalculatorPage(infos)
    try:
        query = parse_query(group=group, start=start, rule_set=rule_set, held=held,
                            pauses=pauses, birth_date=birth_date, today=today,
                            default_today=default_today)
        closed = law_context(session, LawConfig(AUTO, optional_closed),
                             around=query.today).closed
        return CalculatorPage(infos, calculate(query, closed))
    except CalculatorError as err:
        return CalculatorPage(infos, error=err)
