"""Danish (translatable) text for each reason a CPR number or a change on the citizen page is
refused, and the labels the page shows."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from ...services.errors import ServiceError
from ..messages import translate

MESSAGES = {
    "empty": _l("Skriv CPR-nummeret med 10 cifre (ddmmåå-xxxx)."),
    "length": _l("CPR-nummeret skal have 10 cifre (ddmmåå-xxxx)."),
    "format": _l("CPR-nummeret må kun indeholde cifre og evt. en bindestreg."),
    "birth_date": _l("CPR-nummeret indeholder ikke en gyldig fødselsdato."),
}

# refusals of services.law (programmes, pauses, exemptions)
LAW_MESSAGES = {
    "not_found": _l("Det findes ikke (længere)."),
    "unknown_group": _l("Målgruppen kendes ikke."),
    "no_programme": _l("Borgeren har intet forløb den %(day)s."),
    "same_group": _l("Borgeren er allerede i den målgruppe."),
    "start_not_after_programme": _l(
        "Den nye målgruppe skal begynde efter det nuværende forløbs start (%(start)s)."
    ),
    "no_rule_set": _l("Der er intet regelsæt i kraft den %(day)s."),
    "reason_required": _l("Skriv en årsag."),
    "reason_too_long": _l("Årsagen må højst være %(most)s tegn."),
    "pause_order": _l("Pausens slutdato ligger før dens startdato."),
    "pause_before_programme": _l("Pausen kan ikke begynde før forløbets start (%(start)s)."),
    "pause_after_programme": _l("Pausen kan ikke begynde efter forløbets slut (%(end)s)."),
    "pause_overlap": _l("Pausen overlapper en anden pause i forløbet."),
    "pause_ended": _l("Pausen er allerede afsluttet (%(end)s)."),
    "not_under_share_rule": _l(
        "Forpligtelsen er ikke omfattet af reglen om 75 procent og kan ikke fritages."
    ),
    "already_exempt": _l("Borgeren er allerede fritaget for forpligtelsen."),
    "already_fulfilled": _l("Forpligtelsen er allerede opfyldt."),
    "obligation_booked": _l("Forpligtelsen er booket. Aflys bookingen først."),
    "share_exceeded": _l(
        "Fritagelsen ville give %(share)s %% fritagne i målgruppen i enheden; "
        "loven tillader højst %(most)s %%."
    ),
    "already_revoked": _l("Fritagelsen er allerede tilbagekaldt."),
}


# refusals of services.access_scope (another unit's citizen)
SCOPE_MESSAGES = {
    "purpose_required": _l(
        "Borgeren hører ikke til din enhed. Skriv formålet, før du åbner borgerens side."
    ),
    "purpose_too_short": _l("Skriv formålet med mindst %(least)s tegn."),
    "purpose_too_long": _l("Formålet må højst være %(most)s tegn."),
    "other_unit": _l("Indkaldelsen hører til en anden enhed."),
}


def scope_message(err: ServiceError) -> str:
    return translate(err, SCOPE_MESSAGES)


def message(err: ServiceError) -> str:
    return translate(err, MESSAGES)


def law_message(err: ServiceError) -> str:
    """The refusal in the active language, dates written as dates."""
    params = {k: (format_date(v) if isinstance(v, date) else v) for k, v in err.params.items()}
    return translate(ServiceError(err.code, **params), LAW_MESSAGES)
