"""The what-if service's refusals in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...services.errors import FormErrors, ServiceError
from ..messages import translate

MESSAGES = {
    "name_required": _l("Giv beregningen et navn (højst %(most)s tegn)."),
    "unknown_unit": _l("Enheden %(unit)s findes ikke længere. Genindlæs siden."),
    "no_caseworkers_left": _l("%(unit)s skal have mindst én sagsbehandler: fjern højst %(most)s."),
    "no_slots_left": _l("%(unit)s får ingen tider om ugen med den procent. Vælg en højere."),
    "not_found": _l("Beregningen findes ikke."),
}


def message(err: ServiceError) -> str:
    return translate(err, MESSAGES)


def field_messages(err: FormErrors) -> dict[str, str]:
    """Each refused field: form field id → message."""
    return {field: message(problem) for field, problem in err.fields.items()}
