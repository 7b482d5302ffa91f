"""Danish (translatable) text for the refusal codes of the caseworker's time pages
(booking.services.staff_time)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...services.errors import ServiceError
from ..messages import translate

MESSAGES = {
    # scope
    "not_yours": _l("Du kan kun ændre din egen arbejdstid eller arbejdstiden for "
                    "sagsbehandlere i din enhed."),
    # week_plan
    "end_before_start": _l("Blok %(row)s: Til-tidspunktet skal ligge efter fra-tidspunktet."),
    "minutes_range": _l("Blok %(row)s: En samtale skal vare mellem %(min)s og %(max)s minutter."),
    "block_too_short": _l("Blok %(row)s: Blokken er kortere end én samtale på %(minutes)s "
                          "minutter."),
    "location_too_long": _l("Blok %(row)s: Stedet må højst have %(max)s tegn."),
    "location_control_characters": _l("Blok %(row)s: Stedet indeholder tegn, der ikke kan "
                                      "bruges (fx linjeskift)."),
    "overlap": _l("Blok %(row)s overlapper blok %(other)s på samme ugedag."),
    "too_many_rows": _l("Skabelonen kan højst have %(max)s blokke."),
    "weeks_range": _l("Antal uger skal være mellem 1 og %(max)s."),
    "incomplete": _l("Blok %(row)s: Udfyld fra, til og minutter pr. samtale."),
    # absences
    "bad_window": _l("Fraværet skal slutte efter, at det begynder."),
    "out_of_range": _l("Datoen ligger uden for de år, tjenesten arbejder med."),
    "reason_too_long": _l("Årsagen må højst have %(max)s tegn."),
    "reason_control_characters": _l("Årsagen indeholder tegn, der ikke kan bruges (fx "
                                    "linjeskift)."),
    # absence import
    "not_icalendar": _l("Filen kunne ikke læses som en iCalendar-fil (.ics)."),
    "no_events": _l("Filen indeholder ingen fraværsbegivenheder."),
    "too_many_events": _l("Filen har for mange begivenheder (højst %(max)s)."),
    "ics_no_start": _l("Begivenhed %(n)s (%(name)s) har intet starttidspunkt. Intet er "
                       "importeret."),
    "ics_bad_start": _l("Begivenhed %(n)s (%(name)s) har et starttidspunkt, der ikke kan "
                        "læses. Intet er importeret."),
    "ics_bad_end": _l("Begivenhed %(n)s (%(name)s) har et sluttidspunkt, der ikke kan læses. "
                      "Intet er importeret."),
    "ics_end_before_start": _l("Begivenhed %(n)s (%(name)s) slutter, før den begynder. Intet er "
                               "importeret."),
    "ics_out_of_range": _l("Begivenhed %(n)s (%(name)s) ligger uden for de år, tjenesten "
                           "arbejder med. Intet er importeret."),
    "ics_uid_too_long": _l("Begivenhed %(n)s (%(name)s) har et UID på over %(max)s tegn. Intet "
                           "er importeret."),
    "ics_control_characters": _l("Begivenhed %(n)s (%(name)s) indeholder kontroltegn. Intet er "
                                 "importeret."),
    "ics_recurring": _l("Begivenhed %(n)s (%(name)s) gentages. Gentagne begivenheder kan ikke "
                        "importeres; eksportér dem som enkelte begivenheder. Intet er "
                        "importeret."),
}


def message(err: ServiceError) -> str:
    return translate(err, MESSAGES)
