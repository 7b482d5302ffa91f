"""The staff lists as exports: the caseworker's weekly list, the central-booking list and the
conversation plan. Each reads what its page reads (through the page's own service, with the
same access rules) and audits the citizens exported, as the pages audit the citizens shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from sqlalchemy.orm import Session

from ... import rules
from ...database import transaction
from ...principal import StaffPrincipal
from ...settings import Settings
from ..callin.history import record_seen
from ..central import central_booking_list
from ..errors import NotFound
from ..planning.pages import PlanPage, ProposalRow, UnplannedRow, plan_page
from ..timeliness import WeeklyPage, weekly_page
from .table import Column, Export, Sheet, Variant

STATUS = {
    "overdue": ("Overskredet", "Overdue"),
    "due_soon": ("Forfalder inden 3 uger", "Due within 3 weeks"),
    "timely": ("Rettidig", "Timely"),
}
CHANNELS = {
    "in_person": ("Personligt fremmøde", "In person"),
    "phone": ("Telefonisk", "Phone"),
    "video": ("Video", "Video"),
}
CENTRAL_REASONS = {
    "deadline_passed": ("Selvbookingsfristen er overskredet", "Self-booking deadline passed"),
    "no_slots": ("Ingen ledige tider før fristen", "No free times before the deadline"),
}


@cache
def _group_labels() -> dict[str, tuple[str, str]]:
    labels: dict[str, tuple[str, str]] = {}
    for code in rules.available_rule_sets():
        for group, group_rules in rules.load_rule_set(code).groups.items():
            labels.setdefault(str(group), (group_rules.label_da, group_rules.label_en))
    return labels


def group_label(group: str | None, variant: Variant) -> str | None:
    """A target group's name from the packaged rule sets (the code when none names it)."""
    if not group:
        return None
    da, en = _group_labels().get(group, (group, group))
    return da if variant == "da" else en


def _pick(pair: tuple[str, str], variant: Variant) -> str:
    return pair[0] if variant == "da" else pair[1]


# --- the caseworker's weekly list --------------------------------------------------------

WEEKLY_COLUMNS = (
    Column("Status", "Status"),
    Column("Borger", "Citizen"),
    Column("CPR", "CPR"),
    Column("Målgruppe", "Target group"),
    Column("Samtale", "Conversation"),
    Column("Lovens frist", "Statutory deadline", "date"),
    Column("Planlagt senest", "Planned by", "date"),
    Column("Booket", "Booked", "datetime"),
)


def weekly_sheet(page: WeeklyPage, variant: Variant) -> Sheet:
    rows = []
    for line in page.weekly.lines if page.weekly is not None else []:
        ob = line.shown
        rows.append([
            _pick(STATUS[line.status.value], variant), line.citizen.name,
            line.citizen.cpr_masked, group_label(line.group, variant),
            (ob.label_da if variant == "da" else ob.label_en) if ob else None,
            ob.statutory_deadline if ob else None, ob.deadline if ob else None,
            line.booked_at,
        ])
    return Sheet("Ugeliste", "Weekly list", WEEKLY_COLUMNS, rows)


def weekly_export(
    session: Session, settings: Settings, today: date, *, asked_id: int | None,
    own_id: int | None, own_only: bool, staff_id: int | None, variant: Variant = "da",
) -> Export:
    """The weekly list of a caseworker as :func:`.timeliness.weekly_page` gives it (the same
    :class:`~.errors.NotFound` and :class:`~.timeliness.Forbidden`); audits the citizens
    exported (``weekly_list_export``) and commits."""
    with transaction(session):
        page = weekly_page(session, settings.rules, today, asked_id=asked_id, own_id=own_id,
                           own_only=own_only,
                           indicator_months=settings.callin.indicator_months)
        if page.caseworker is None or page.weekly is None:
            raise NotFound("caseworker")  # a manager exports the list of a chosen caseworker
        record_seen(session, staff_id, "weekly_list_export",
                    [line.citizen.id for line in page.weekly.lines],
                    object_type="caseworker", object_id=page.caseworker.id)
        sheet = weekly_sheet(page, variant)
    return Export(f"ugeliste-{page.caseworker.initials or page.caseworker.id}", today, [sheet])


# --- the central-booking list -------------------------------------------------------------

CENTRAL_COLUMNS = (
    Column("Borger", "Citizen"),
    Column("CPR", "CPR"),
    Column("Telefon", "Phone"),
    Column("Målgruppe", "Target group"),
    Column("Samtale", "Conversation"),
    Column("Selvbooking lukkede", "Self-booking closed", "date"),
    Column("Årsag", "Reason"),
    Column("Planlagt senest", "Planned by", "date"),
    Column("Lovens frist", "Statutory deadline", "date"),
    Column("Lovens frist overskredet", "Statutory deadline passed"),
)


def central_export(session: Session, settings: Settings, today: date, *,
                   staff_id: int | None, variant: Variant = "da") -> Export:
    """Every citizen on the central-booking list (not only the page's first 200); audits them
    (``callin_central_list_export``) and commits."""
    with transaction(session):
        items = central_booking_list(session, today,
                                     local_days=settings.rules.self_booking_days)
        record_seen(session, staff_id, "callin_central_list_export",
                    [item.obligation.citizen_id for item in items],
                    object_type="central_list", object_id=None)
        rows = []
        for item in items:
            ob = item.obligation
            rows.append([
                ob.citizen.name, ob.citizen.cpr_masked, ob.citizen.phone,
                group_label(ob.programme.target_group, variant),
                ob.label_da if variant == "da" else ob.label_en, item.self_booking_until,
                _pick(CENTRAL_REASONS.get(item.reason, (item.reason, item.reason)), variant),
                ob.deadline, ob.statutory_deadline,
                ob.statutory_deadline < today,
            ])
    sheet = Sheet("Central booking", "Central booking", CENTRAL_COLUMNS, rows)
    return Export("central-booking", today, [sheet])


# --- the conversation plan ----------------------------------------------------------------

PROPOSAL_COLUMNS = (
    Column("Plan nr.", "Plan no.", "int"),
    Column("Enhed", "Unit"),
    Column("Forslag nr.", "Proposal no.", "int"),
    Column("Art", "Kind"),
    Column("Status", "Status"),
    Column("Borger", "Citizen"),
    Column("CPR", "CPR"),
    Column("Samtale", "Conversation"),
    Column("Ny tid", "New time", "datetime"),
    Column("Minutter", "Minutes", "int"),
    Column("Fremmødeform", "Channel"),
    Column("Sted", "Place"),
    Column("Sagsbehandler", "Caseworker"),
    Column("Flyttes fra", "Moved from", "datetime"),
    Column("Planlagt senest", "Planned by", "date"),
    Column("Lovens frist", "Statutory deadline", "date"),
    Column("Til tiden", "On time"),
    Column("Årsag", "Reason"),
)
UNPLANNED_COLUMNS = (
    Column("Plan nr.", "Plan no.", "int"),
    Column("Enhed", "Unit"),
    Column("Borger", "Citizen"),
    Column("CPR", "CPR"),
    Column("Samtale", "Conversation"),
    Column("Planlagt senest", "Planned by", "date"),
    Column("Lovens frist", "Statutory deadline", "date"),
    Column("Hvorfor ikke planlagt", "Why not planned"),
)
KINDS = {"new": ("Ny booking", "New booking"), "move": ("Flyttes", "Moved")}
PROPOSAL_STATES = {"proposed": ("Foreslået", "Proposed"), "accepted": ("Godkendt", "Accepted")}


def plan_sheets(page: PlanPage, variant: Variant, *,
                move_reason: Callable[[ProposalRow], str],
                unplanned_reason: Callable[[UnplannedRow], str]) -> list[Sheet]:
    proposals, unplanned = [], []
    for view in page.runs:
        for p in view.proposals:
            time = p.time
            proposals.append([
                view.run.id, view.unit_name, p.id, _pick(KINDS.get(p.kind, (p.kind, p.kind)),
                                                         variant),
                _pick(PROPOSAL_STATES.get(p.status, (p.status, p.status)), variant),
                p.who.citizen_name, p.who.cpr_masked,
                p.who.label_da if variant == "da" else p.who.label_en,
                time.starts_at if time else None, time.minutes if time else None,
                _pick(CHANNELS.get(time.channel, (time.channel, time.channel)), variant)
                if time else None,
                time.location if time else None, time.caseworker_name if time else None,
                p.was.starts_at if p.was else None, p.who.deadline, p.who.statutory_deadline,
                p.on_time, move_reason(p) if p.kind == "move" else None,
            ])
        for u in view.unplanned:
            unplanned.append([
                view.run.id, view.unit_name, u.who.citizen_name, u.who.cpr_masked,
                u.who.label_da if variant == "da" else u.who.label_en, u.who.deadline,
                u.who.statutory_deadline, unplanned_reason(u),
            ])
    return [Sheet("Forslag", "Proposals", PROPOSAL_COLUMNS, proposals),
            Sheet("Ikke planlagt", "Not planned", UNPLANNED_COLUMNS, unplanned)]


def plan_export(session: Session, user: StaffPrincipal, raw_ids: list[str], settings: Settings,
                today: date, *, variant: Variant = "da",
                move_reason: Callable[[ProposalRow], str],
                unplanned_reason: Callable[[UnplannedRow], str]) -> Export:
    """The runs named by ``raw_ids`` as :func:`.planning.pages.plan_page` reads them (the same
    refusals; it audits the citizens), the proposals and the unplanned conversations."""
    page = plan_page(session, user, raw_ids, settings)
    sheets = plan_sheets(page, variant, move_reason=move_reason,
                         unplanned_reason=unplanned_reason)
    stem = "samtaleplan-" + "-".join(str(i) for i in page.run_ids[:5])
    return Export(stem, today, sheets)
