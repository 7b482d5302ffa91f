"""Import refusals in the user's language: one sentence per code, for the result page and the
command line (``flask import``)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from ...services.errors import ServiceError
from ...services.imports import RowError
from ..messages import FALLBACK, translate

MESSAGES: dict[str, Any] = {
    # the run or the file
    "unknown_kind": _l("Ukendt dataart: %(kind)s."),
    "cpr_key_rotating": _l(
        "CPR-nøglen er ved at blive skiftet. Kør cpr-rehash færdig, før der importeres."),
    "empty_file": _l("Filen er tom."),
    "too_large": _l("Filen er for stor (højst %(most)s MB)."),
    "too_many_rows": _l("Filen har for mange rækker (højst %(most)s)."),
    "not_a_table": _l("Filen kan ikke læses som CSV eller XLSX."),
    "no_header": _l("Filen har ingen overskriftsrække."),
    "blank_column": _l("Kolonne nr. %(column)s har ingen overskrift."),
    "duplicate_column": _l("Kolonnen %(column)s står der to gange."),
    "missing_column": _l("Kolonnen mangler i filen."),
    "unknown_column": _l("Ukendt kolonne. Kendte kolonner: %(allowed)s."),
    "extra_cells": _l("Rækken har flere celler end der er overskrifter."),
    # one cell
    "required": _l("Feltet skal udfyldes."),
    "too_long": _l("Teksten er for lang (højst %(most)s tegn)."),
    "control_characters": _l("Teksten indeholder kontroltegn."),
    "bad_date": _l("%(value)s er ikke en gyldig dato (dd-mm-åååå eller åååå-mm-dd)."),
    "date_out_of_range": _l("Datoen skal ligge mellem år 1900 og 2099."),
    "bad_time": _l("%(value)s er ikke et gyldigt klokkeslæt (tt:mm)."),
    "bad_yes_no": _l("%(value)s er hverken ja eller nej."),
    "bad_number": _l("%(value)s er ikke et helt tal mellem %(least)s og %(most)s."),
    "bad_choice": _l("%(value)s er ikke en kendt værdi. Brug en af: %(allowed)s."),
    "bad_cpr_length": _l("CPR-nummeret skal have 10 cifre."),
    "bad_cpr_format": _l("CPR-nummeret må kun indeholde cifre og en bindestreg."),
    "bad_cpr_date": _l("CPR-nummeret indeholder ikke en gyldig fødselsdato."),
    "bad_pause": _l("%(value)s er ikke en pause (start..slut, flere adskilt af |)."),
    # the row against the file or the database
    "duplicate_row": _l("Samme nøgle står også i række %(first)s."),
    "unknown_unit": _l("Enheden %(unit)s findes ikke. Importér enhederne først."),
    "unknown_caseworker": _l(
        "Sagsbehandleren %(caseworker)s findes ikke. Importér sagsbehandlerne først."),
    "unknown_citizen": _l("Borgeren findes ikke. Importér borgerne først."),
    "other_citizen": _l("Id'et er allerede importeret for en anden borger."),
    "end_before_start": _l("Slut ligger før start."),
    "pause_before_start": _l("En pause begynder før forløbets start."),
    "no_rule_set": _l("Intet regelsæt gælder på startdatoen."),
    "date_in_future": _l("Datoen ligger efter i dag."),
    "joint_by_fund": _l("En fælles samtale holdes af jobcentret, ikke af a-kassen."),
    "outcome_changed": _l(
        "Samtalen er allerede importeret som afholdt og kan ikke blive en udeblivelse."),
}

KIND_LABELS: dict[str, Any] = {
    "units": _l("Enheder"),
    "caseworkers": _l("Sagsbehandlere"),
    "citizens": _l("Borgere"),
    "programmes": _l("Forløb"),
    "history": _l("Samtalehistorik"),
    "absences": _l("Fravær"),
}


def message(err: ServiceError) -> str:
    return translate(err, MESSAGES)


def row_message(error: RowError) -> str:
    """The sentence for one refused row (the fallback for an unknown code)."""
    text = str(MESSAGES.get(error.code, FALLBACK))
    return text % error.params if error.params else text
