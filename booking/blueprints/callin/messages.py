"""Danish (translatable) text for each refusal a call-in service can give."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import format_date, format_datetime, ngettext
from flask_babel import lazy_gettext as _l

from ...extensions import select_locale
from ...services.callin import CallinError
from ...services.clock import zone
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
    # the calendar (services.callin.calendar)
    "day_weekend": _l("%(day)s er en weekenddag. Fælles indkald holdes på hverdage."),
    "day_holiday": _l("%(day)s er en helligdag (%(name)s). Vælg en anden dag."),
    "day_closed": _l("Jobcentret holder lukket %(day)s (%(reason)s). Vælg en anden dag."),
    "notice": _l(
        "Brevene skal give mindst %(days_text)s varsel: et brev sendt i dag kan tidligst "
        "indkalde til %(first)s."
    ),
    # the desk (services.callin.desk)
    "checkin_not_open": _l(
        "Fremmøde kan registreres fra %(opens_day)s kl. %(opens_time)s (%(minutes)s minutter "
        "før tidsrummet)."
    ),
    "undo_served": _l("Samtalen med %(name)s er afsluttet, så fremmødet kan ikke fortrydes."),
    "undo_not_arrived": _l("%(name)s er ikke registreret som mødt."),
    "undo_expired": _l(
        "%(name)s blev registreret som mødt kl. %(arrived_time)s. Et fremmøde kan kun "
        "fortrydes i %(minutes)s minutter; derefter står det ved magt."
    ),
}


def working_days_text(n: int) -> str:
    return ngettext("%(num)s arbejdsdags", "%(num)s arbejdsdages", n)


def day_words(value: date | datetime) -> str:
    """A day as "lørdag 5. december 2026" (Danish) or "Saturday 5 December 2026"."""
    return format_date(value, "EEEE d MMMM y" if select_locale() == "en" else "EEEE d. MMMM y")


def _shown(params: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(params)
    for key, value in params.items():
        if isinstance(value, datetime):
            out[f"{key}_day"] = day_words(value.astimezone(zone()).date())
            out[f"{key}_time"] = format_datetime(value, "HH:mm")
        elif isinstance(value, date):
            out[key] = day_words(value)
    if "days" in params:
        out["days_text"] = working_days_text(int(params["days"]))
    return out


def message(err: CallinError) -> str:
    return translate(ServiceError(err.code, **_shown(err.params)), MESSAGES)


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
