"""Danish (translatable) text for the planner's refusals, form errors and plan notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from ...extensions import select_locale
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

# the scenario comparison's assumptions (services.rehab.export.ASSUMPTIONS' keys)
ASSUMPTION_LABELS = {
    "meetings_per_week": _l("Møder pr. uge"),
    "places_per_meeting": _l("Pladser pr. møde"),
    "lead_days": _l("Materiale til regionen, dage før mødet"),
    "inflow_per_week": _l("Nye sager pr. uge (gennemsnit, Poisson)"),
    "closed_weeks": _l("Lukkede uger"),
    "ready_days": _l("Dage fra start til materialet kan sendes"),
    "deadline_days": _l("Frist for forelæggelse, dage fra start"),
    "weeks": _l("Uger"),
    "runs": _l("Simulerede forløb (gennemsnit)"),
    "seed": _l("Startværdi for tilfældige tal"),
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
        "%(cases)s sager (%(taken)s optaget)."
    ),
    # a capacity note read back from an old English sentence that did not count taken places
    "no_capacity_untold": _l(
        "Møderne fra %(first_meeting)s til %(last_meeting)s har %(places)s pladser til "
        "%(cases)s sager."
    ),
}


@dataclass(frozen=True)
class NoteAction:
    """What fixes a note: a text and where it is done (``schedule``: the meetings page,
    ``move``: the case's own "Flyt" list, ``replan``: the re-plan button)."""

    text: str
    target: str


# what fixes each note, and where
ACTIONS = {
    "late": (_l("Tilføj et møde før fristen %(deadline)s."), "schedule"),
    "moved_late": (_l("Flyt sagen til et møde før fristen %(deadline)s."), "move"),
    "unplanned": (_l("Planlæg igen for at få sagen placeret."), "replan"),
    "no_meeting": (_l("Dan møder fra %(first)s."), "schedule"),
    "no_meeting_material": (
        _l("Dan møder, der ligger mindst %(lead_days)s dage efter %(material_from)s."),
        "schedule",
    ),
    "no_capacity": (
        _l("Tilføj et møde eller flere pladser mellem %(first_meeting)s og %(last_meeting)s."),
        "schedule",
    ),
}


def day(value: date) -> str:
    """A date as the pages show it: "17. nov. 2026" (Danish) or "17 Nov 2026" (English)."""
    return format_date(value, "d MMM y" if select_locale() == "en" else "d. MMM y")


def _shown(value: Any) -> Any:
    return day(value) if isinstance(value, date) else value


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


def _known(note: PlanNote) -> PlanNote:
    """The note as the tables word it: an unknown code (or old free text) is "not planned";
    a capacity note without the places taken has its own wording."""
    if note.code == "no_capacity" and "taken" not in note.params:
        return PlanNote("no_capacity_untold", note.params)
    return note if note.code in NOTES else PlanNote("unplanned")


def note_text(note: PlanNote) -> str:
    """The plan's verdict on a case; a code this table lacks reads as "not planned"."""
    note = _known(note)
    return _render(note.code, note.params, NOTES)


def note_action(note: PlanNote, deadline: date) -> NoteAction:
    """What fixes the note on a case with the presentation ``deadline``."""
    note = _known(note)
    code = "no_capacity" if note.code == "no_capacity_untold" else note.code
    text, target = ACTIONS[code]
    params = {**note.params, "deadline": deadline}
    return NoteAction(_render(code, params, {code: text}), target)
