"""Danish (translatable) text for each refusal a call-in service can give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...services.callin import CallinError
from ..messages import translate

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
