"""Danish (translatable) text for each refusal a call-in service can give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...services.callin import CallinError
from ...services.errors import ServiceError
from ..messages import translate
from ..plan.messages import prepared

MESSAGES = {
    "day_past": _l("Datoen er overskredet. Vælg i dag eller en senere dag."),
    "window_order": _l("Sluttidspunktet skal ligge efter starttidspunktet."),
    "minutes_range": _l("Minutter pr. samtale skal være mellem 5 og 240."),
    "window_short": _l("Tidsrummet er kortere end én samtale (%(minutes)s minutter)."),
    "location_missing": _l("Skriv hvor indkaldet foregår."),
    "risk_range": _l("Risikoen skal være mellem 1 og 50 %."),
    "no_pool": _l("Vælg mindst én sagsbehandler til puljen."),
    "unknown_caseworker": _l("En af de valgte sagsbehandlere findes ikke eller er ikke aktiv."),
    "no_session": _l("Det fælles indkald findes ikke."),
    "session_closed": _l("Det fælles indkald er afsluttet."),
    "count_range": _l("Antallet skal være mellem 1 og %(most)s."),
    "no_invitation": _l("Indkaldelsen findes ikke."),
    "too_early": _l("Fremmøde kan først registreres på dagen for indkaldet."),
    "not_invited_state": _l("%(name)s er allerede registreret."),
    "not_in_progress": _l("%(name)s er ikke i samtale lige nu."),
    "not_yours": _l("Samtalen er ikke din."),
    "window_open": _l("Tidsrummet er ikke slut endnu. Sæt kryds for at lukke før tid."),
    "not_no_show": _l("Borgeren er ikke registreret som udeblevet."),
    "session_required": _l("Vælg det fælles indkald, I har aftalt."),
    "already_invited": _l("%(name)s er allerede indkaldt til det valgte indkald."),
}


def message(err: CallinError) -> str:
    return translate(err, MESSAGES)


# central booking (services.central_booking, ReservationError) and "Planlæg de valgte"
# (services.planning.staff_actions, PlanningError)
CENTRAL_MESSAGES = {
    "slot_taken": _l("Tiden er lige blevet taget. Vælg en anden tid."),
    "not_bookable": _l(
        "Den valgte tid kan ikke bookes til denne samtale. Vælg en af de viste tider."
    ),
    "already_booked": _l("Samtalen er allerede booket."),
    "not_found": _l("Samtalen findes ikke."),
    "past_statutory": _l(
        "Tiden %(day)s ligger efter lovens frist (%(statutory_deadline)s). Sæt kryds for at "
        "bekræfte, at du vil booke efter lovens frist, eller vælg en tidligere tid."
    ),
    "no_selection": _l("Vælg mindst én borger at planlægge."),
    "unknown_obligations": _l(
        "En eller flere af de valgte samtaler findes ikke, er allerede booket eller hører til "
        "en anden enhed. Der er ikke sat nogen planlægning i gang."
    ),
}


def central_message(err: ServiceError) -> str:
    """A refusal of central booking, dates shown as "1. marts"."""
    return translate(ServiceError(err.code, **prepared(err.params)), CENTRAL_MESSAGES)
