"""Conversation history (keyed by ``id``, the case system's id of the conversation).

``udfald`` ``afholdt`` stores a :class:`HeldConversation` (it fulfils obligations);
``udeblevet`` stores none, but counts as a missed conversation: a citizen's ``missed_count``
becomes at least the file's number of no-shows for them, and ``attended_count`` at least its
number of conversations held by the job centre (so importing the same file again counts
nothing twice), and the show probability is estimated again.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ...models import Channel, Citizen, HeldConversation, HeldKind, Holder, Programme
from ..attendance import estimate_show_probability
from ..clock import now_utc as utcnow
from . import cells
from .common import (
    Columns,
    Context,
    Seen,
    Writer,
    bulk_insert,
    check_columns,
    chunks,
    rows,
    update_by_id,
)
from .people import citizen_ids, citizen_of
from .result import ImportResult
from .table import Table

HISTORY = Columns(
    ("id", "cpr", "dato"), ("art", "afholdt_af", "udfald", "fælles", "kanal", "a_kasse_fravalgt")
)
KINDS = {"samtale": HeldKind.conversation.value, "jobsamtale": HeldKind.conversation.value,
         "tilbud": HeldKind.offer.value, "rehabiliteringsteam": HeldKind.rehab_presentation.value,
         "rehabilitering": HeldKind.rehab_presentation.value,
         "revurdering": HeldKind.reassessment.value}
KINDS_SHOWN = "samtale, tilbud, rehabiliteringsteam, revurdering"
HOLDERS = {"jobcenter": Holder.jobcentre.value, "jobcentret": Holder.jobcentre.value,
           "a-kasse": Holder.unemployment_fund.value, "akasse": Holder.unemployment_fund.value,
           "a-kassen": Holder.unemployment_fund.value}
HOLDERS_SHOWN = "jobcenter, a-kasse"
HELD, MISSED = "held", "missed"
OUTCOMES = {"afholdt": HELD, "gennemført": HELD, "udeblevet": MISSED, "udeblivelse": MISSED}
OUTCOMES_SHOWN = "afholdt, udeblevet"
CHANNELS = {"fremmøde": Channel.in_person.value, "personligt": Channel.in_person.value,
            "personligt fremmøde": Channel.in_person.value, "telefon": Channel.phone.value,
            "telefonisk": Channel.phone.value, "video": Channel.video.value}
CHANNELS_SHOWN = "fremmøde, telefon, video"
FIELDS = ("citizen_id", "held_on", "kind", "holder", "joint", "fund_declined", "channel")


def _stored(value: Any) -> Any:
    """A loaded column value as the plan compares it (enums as their text)."""
    return getattr(value, "value", value)


def plan_history(ctx: Context, table: Table, result: ImportResult) -> Writer:
    if not check_columns(table, HISTORY, result):
        return lambda _s: set()
    citizens = citizen_ids(ctx)
    existing = {r.external_id: r for r in ctx.session.execute(
        select(HeldConversation.id, HeldConversation.external_id,
               *(getattr(HeldConversation, f) for f in FIELDS))
        .where(HeldConversation.external_id.is_not(None)))}
    seen = Seen()
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    attended: Counter[int] = Counter()
    missed: Counter[int] = Counter()
    touched: set[int] = set()
    present = set(table.columns)
    for row in rows(table, result):
        ext = row.take("id", cells.string, 64)
        citizen = citizen_of(row, ctx, citizens)
        held_on = row.take("dato", cells.day)
        # a column the file leaves out takes its default without a parse per row
        kind = (row.take("art", cells.choice, KINDS, KINDS_SHOWN, default="conversation")
                if "art" in present else "conversation")
        holder = (row.take("afholdt_af", cells.choice, HOLDERS, HOLDERS_SHOWN,
                           default="jobcentre") if "afholdt_af" in present else "jobcentre")
        outcome = (row.take("udfald", cells.choice, OUTCOMES, OUTCOMES_SHOWN, default=HELD)
                   if "udfald" in present else HELD)
        joint = row.take("fælles", cells.yes_no) if "fælles" in present else False
        declined = (row.take("a_kasse_fravalgt", cells.yes_no)
                    if "a_kasse_fravalgt" in present else False)
        channel = (row.take("kanal", cells.choice, CHANNELS, CHANNELS_SHOWN, default="")
                   or None) if "kanal" in present else None
        if held_on is not None and held_on > ctx.today:
            row.fail("dato", "date_in_future")
        if joint and holder == Holder.unemployment_fund.value:
            row.fail("fælles", "joint_by_fund")
        if row.bad or ext is None or citizen is None or seen.repeat(row, ext, "id"):
            continue
        old = existing.get(ext)
        if outcome == MISSED:
            if old is not None:
                row.fail("udfald", "outcome_changed")
            else:
                missed[citizen] += 1
            continue
        if holder == Holder.jobcentre.value:
            attended[citizen] += 1
        values = {"citizen_id": citizen, "held_on": held_on, "kind": kind, "holder": holder,
                  "joint": bool(joint), "fund_declined": bool(declined), "channel": channel}
        if old is None:
            new.append({**values, "external_id": ext})
            touched.add(citizen)
            continue
        diff = {k: v for k, v in values.items() if _stored(getattr(old, k)) != v}
        if diff.get("citizen_id") is not None:
            row.fail("cpr", "other_citizen")
            continue
        if diff:
            changed.append({"id": old.id, **diff})
            touched.add(citizen)
        else:
            result.unchanged += 1
    tallies = _tallies(ctx, attended, missed, result) if result.ok else []
    result.created += len(new)
    result.changed += len(changed)

    def write(session: Session) -> set[int]:
        now = utcnow()
        bulk_insert(session, HeldConversation.metadata.tables["held_conversations"],
                    [{**values, "created_at": now} for values in new])
        update_by_id(session, HeldConversation, changed)
        if tallies:
            session.execute(update(Citizen), tallies)
        return touched

    return write


def _tallies(ctx: Context, attended: Counter[int], missed: Counter[int],
             result: ImportResult) -> list[dict[str, Any]]:
    """Raise each citizen's attended and missed counts to the file's (the no-shows that raise
    a count are counted as created, the rest as unchanged) and estimate the show probability
    again."""
    ids = sorted(set(attended) | set(missed))
    rows_: dict[int, Any] = {}
    groups: dict[int, str] = {}
    for part in chunks(ids):
        for r in ctx.session.execute(select(Citizen.id, Citizen.attended_count,
                                            Citizen.missed_count).where(Citizen.id.in_(part))):
            rows_[r.id] = r
        for cid, group in ctx.session.execute(
                select(Programme.citizen_id, Programme.target_group)
                .where(Programme.citizen_id.in_(part))
                .order_by(Programme.start_date, Programme.id)):
            groups[cid] = group  # the latest start wins
    callin = ctx.settings.callin
    updates = []
    for cid in ids:
        old = rows_[cid]
        came = max(old.attended_count, attended[cid])
        away = max(old.missed_count, missed[cid])
        raised = away - old.missed_count
        result.created += raised
        result.unchanged += missed[cid] - raised
        if (came, away) != (old.attended_count, old.missed_count):
            probability = estimate_show_probability(
                came, away, callin.prior_for(groups.get(cid)), callin.prior_strength)
            updates.append({"id": cid, "attended_count": came, "missed_count": away,
                            "show_probability": round(probability, 4)})
    return updates
