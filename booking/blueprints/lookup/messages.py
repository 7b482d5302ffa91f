"""Danish (translatable) text for each reason a CPR number is refused."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...services.security import CprError
from ..messages import translate

MESSAGES = {
    "empty": _l("Skriv CPR-nummeret med 10 cifre (ddmmåå-xxxx)."),
    "length": _l("CPR-nummeret skal have 10 cifre (ddmmåå-xxxx)."),
    "format": _l("CPR-nummeret må kun indeholde cifre og evt. en bindestreg."),
    "birth_date": _l("CPR-nummeret indeholder ikke en gyldig fødselsdato."),
}


def message(err: CprError) -> str:
    return translate(err, MESSAGES)
