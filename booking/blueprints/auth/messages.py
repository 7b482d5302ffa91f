"""Danish (translatable) text for each reason a personal link cannot be used."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...services.security import LinkError
from ..messages import translate

MESSAGES = {
    "expired": _l("Linket er udløbet. Kontakt jobcentret, så sender vi dig et nyt link."),
    "invalid": _l(
        "Linket er ugyldigt. Kontrollér, at du har kopieret hele linket fra dit brev, "
        "eller kontakt jobcentret."
    ),
    "malformed": _l("Linket er ugyldigt. Kontakt jobcentret."),
    "revoked": _l(
        "Linket er ikke længere gyldigt, fordi der er sendt et nyere link. "
        "Brug linket i dit seneste brev, eller kontakt jobcentret."
    ),
}


def message(err: LinkError) -> str:
    return translate(err, MESSAGES)
