"""Danish (translatable) text for the planner's refusals, form errors and plan notes."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from ...services.errors import FormErrors, ServiceError
from ...services.rehab.notes import PlanNote
from ..messages import translate

MESSAGES = {
    # accept, move, material sent
    "no_meeting_to_accept": _l("Sagen har ikke noget møde at godkende."),
    "meeting_held": _l("Mødet er allerede holdt."),
    "material_too_late": _l(
        "Materialet kan ikke nå frem: det skal være hos regionen senest %(due)s, "
        "men sagen er først klar %(ready)s."
    ),
    "meeting_full": _l("Mødet er fuldt."),
    "choose_upcoming_meeting": _l("Vælg et af de kommende møder."),
    "no_meeting_yet": _l("Sagen har intet møde endnu; planlæg den først."),
    # closures from an .ics file
    "not_icalendar": _l("Filen er ikke en gyldig iCalendar-fil (.ics)."),
    "no_events": _l("Filen indeholder ingen begivenheder (VEVENT)."),
    "too_many_events": _l("Filen indeholder mere end %(max)s begivenheder. Intet er importeret."),
    "ics_no_start": _l(
        "Begivenhed nr. %(n)s (%(name)s) mangler en startdato (DTSTART). Intet er importeret."
    ),
    "ics_bad_start": _l(
        "Begivenhed nr. %(n)s (%(name)s) har en startdato (DTSTART), der ikke kan læses som en "
        "dato. Intet er importeret."
    ),
    "ics_bad_end": _l(
        "Begivenhed nr. %(n)s (%(name)s) har en slutdato (DTEND), der ikke kan læses som en "
        "dato. Intet er importeret."
    ),
    "ics_bad_duration": _l(
        "Begivenhed nr. %(n)s (%(name)s) har en varighed (DURATION), der ikke kan bruges. "
        "Intet er importeret."
    ),
    "ics_end_before_start": _l(
        "Begivenhed nr. %(n)s (%(name)s) slutter %(end)s, før den begynder %(start)s. "
        "Intet er importeret."
    ),
    "ics_out_of_range": _l(
        "Begivenhed nr. %(n)s (%(name)s) ligger uden for årene %(first)s–%(last)s. "
        "Intet er importeret."
    ),
    "ics_uid_too_long": _l(
        "Begivenhed nr. %(n)s (%(name)s) har et UID på mere end %(max)s tegn. Intet er importeret."
    ),
    "ics_control_characters": _l(
        "Begivenhed nr. %(n)s (%(name)s) indeholder kontroltegn i UID eller SUMMARY. "
        "Intet er importeret."
    ),
}

# the scenario form: the field's label is filled in as %(label)s
FIELD_MESSAGES = {
    "not_a_number": _l("%(label)s: skriv et tal."),
    "not_whole": _l("%(label)s: skriv et helt tal."),
    "out_of_range": _l("%(label)s: skal være mellem %(low)s og %(high)s."),
    "closed_weeks_format": _l("Lukkede uger: skriv ugenumre (1–53) adskilt af komma."),
    "name_required": _l("Giv scenariet et navn (højst %(most)s tegn)."),
    "name_taken": _l("Der findes allerede et scenarie med det navn."),
}

FIELD_LABELS = {
    "name": _l("Navn"),
    "meetings_per_week": _l("Møder pr. uge"),
    "places_per_meeting": _l("Pladser pr. møde"),
    "lead_days": _l("Dage før mødet, materialet skal være hos regionen"),
    "inflow_per_week": _l("Nye sager pr. uge"),
    "closed_weeks": _l("Lukkede uger"),
    "weeks": _l("Uger i fremskrivningen"),
}

# why the latest plan could not place a case on time (RehabCase.plan_note)
NOTES = {
    "late": _l(
        "Ingen plads til tiden: første mulige møde er %(meeting)s, %(days)s dage efter fristen."
    ),
    "moved_late": _l("Flyttet til et møde efter fristen."),
    "unplanned": _l("Ikke planlagt"),
    "no_meeting": _l("Intet møde den %(first)s eller senere."),
    "no_meeting_material": _l(
        "Intet møde den %(first)s eller senere (materialet kan sendes fra %(material_from)s "
        "og skal være hos regionen %(lead_days)s dage før mødet)."
    ),
    "no_capacity": _l(
        "Møderne fra %(first_meeting)s til %(last_meeting)s har %(places)s pladser til "
        "%(cases)s sager (%(taken)s optaget). Tilføj et møde eller flere pladser."
    ),
    "legacy": "%(text)s",  # a note stored as text before notes were coded: shown as it is
}


def _shown(value: Any) -> Any:
    return f"{value:%d-%m-%Y}" if isinstance(value, date) else value


def _render(code: str, params: dict[str, Any], table: dict[str, Any]) -> str:
    return translate(ServiceError(code, **{k: _shown(v) for k, v in params.items()}), table)


def message(err: ServiceError) -> str:
    """A planner refusal (accept, move, material sent, closure import) in the user's language."""
    return _render(err.code, err.params, MESSAGES)


def field_messages(err: FormErrors) -> dict[str, str]:
    """Each refused field of the scenario form: field name → message."""
    return {
        field: _render(
            problem.code,
            {**problem.params, "label": FIELD_LABELS.get(field, field)},
            FIELD_MESSAGES,
        )
        for field, problem in err.fields.items()
    }


def note_text(note: PlanNote) -> str:
    """The plan's verdict on a case; a code this table lacks reads as "not planned"."""
    if note.code not in NOTES:
        return str(NOTES["unplanned"])
    return _render(note.code, note.params, NOTES)
