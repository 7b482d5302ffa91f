"""Danish (translatable) text for each refusal of the rule calculator, and the field it
belongs to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...services.law.calculator import CalculatorError
from ..messages import translate

MESSAGES = {
    "required": _l("Udfyld feltet."),
    "not_a_date": _l("%(value)s er ikke en dato (ÅÅÅÅ-MM-DD)."),
    "unknown_group": _l("Målgruppen %(value)s kendes ikke."),
    "unknown_rule_set": _l("Regelsættet %(value)s findes ikke."),
    "bad_held": _l("Linje %(index)s: skriv DATO, DATO:ART eller DATO:ART:HOLDT_AF."),
    "unknown_kind": _l("Linje %(index)s: ukendt art %(value)s."),
    "unknown_holder": _l("Linje %(index)s: ukendt afholder %(value)s."),
    "bad_pause": _l("Linje %(index)s: skriv FRA:TIL eller FRA: (pausen løber stadig)."),
    "pause_order": _l("Linje %(index)s: pausens slutdato ligger før dens startdato."),
    "no_rule_set": _l("Der er intet regelsæt i kraft den %(value)s."),
    "birth_date_required": _l("Reglerne afhænger af alder: skriv fødselsdatoen."),
}

# the calculator's fields by the service's field names
FIELDS = {
    "group": "gruppe",
    "start": "start",
    "rule_set": "regelsaet",
    "held": "afholdt",
    "pause": "pauser",
    "birth_date": "foedt",
    "today": "dato",
}


def message(err: CalculatorError) -> str:
    return translate(err, MESSAGES)
