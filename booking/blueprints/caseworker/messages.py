"""Danish (translatable) text for the caseworker's calendar: each refusal code of the outcome
and calendar services, and the names of outcomes, booking states and channels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...services.errors import ServiceError
from ..messages import translate

MESSAGES = {
    # booking.services.outcomes
    "unknown_outcome": _l("Vælg et af udfaldene: afholdt, udeblevet eller aflyst."),
    "not_yours": _l("Samtalen ligger i en anden sagsbehandlers kalender."),
    "too_early": _l(
        "Samtalen er ikke begyndt endnu. Afholdt og udeblevet kan først registreres fra "
        "starttidspunktet."
    ),
    "already_recorded": _l("Der er allerede registreret et udfald for samtalen."),
    "booking_cancelled": _l("Samtalen er allerede aflyst."),
    "nothing_to_undo": _l("Der er ikke registreret noget udfald at fortryde."),
    "undo_expired": _l("Et udfald kan kun fortrydes samme dag, som det blev registreret."),
    "seat_taken": _l(
        "Tiden er booket af en anden borger i mellemtiden, så aflysningen kan ikke fortrydes."
    ),
    "obligation_changed": _l(
        "Samtalen er planlagt eller afholdt på ny i mellemtiden, så udfaldet kan ikke fortrydes."
    ),
    # booking.services.calendar_view
    "bad_day": _l("Datoen kunne ikke læses. Kalenderen viser i dag."),
    "day_out_of_range": _l("Datoen ligger uden for kalenderen. Kalenderen viser i dag."),
}

OUTCOME_LABELS = {
    "held": _l("Afholdt"),
    "no_show": _l("Udeblevet"),
    "cancelled_by_citizen": _l("Aflyst af borger"),
    "cancelled_by_jobcentre": _l("Aflyst af jobcentret"),
}

OUTCOME_DONE = {
    "held": _l("%(name)s er registreret som afholdt."),
    "no_show": _l("%(name)s er registreret som udeblevet. Samtalen skal planlægges igen."),
    "cancelled_by_citizen": _l(
        "Samtalen med %(name)s er aflyst af borgeren. Tiden er ledig igen."
    ),
    "cancelled_by_jobcentre": _l(
        "Samtalen med %(name)s er aflyst af jobcentret. Borgeren får besked, og tiden er "
        "ledig igen."
    ),
}

STATE_LABELS = {
    "booked": _l("Booket"),
    "attended": _l("Afholdt"),
    "no_show": _l("Udeblevet"),
    "cancelled": _l("Aflyst"),
}

CHANNEL_LABELS = {
    "in_person": _l("Personligt fremmøde"),
    "phone": _l("Telefon"),
    "video": _l("Video"),
}


def message(err: ServiceError) -> str:
    return translate(err, MESSAGES)


def done_message(outcome: str, name: str) -> str:
    return str(OUTCOME_DONE[outcome]) % {"name": name}
