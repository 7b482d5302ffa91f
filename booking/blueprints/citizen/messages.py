"""Danish (translatable) text for each refusal the citizen's pages can show."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...services.errors import ServiceError
from ..messages import translate

MESSAGES = {
    # reservations.ReservationError
    "slot_taken": _l("Tiden er lige blevet taget. Vælg en anden tid."),
    "not_bookable": _l("Den valgte tid kan ikke bookes. Vælg en af de viste tider."),
    "already_booked": _l("Du har allerede booket en tid til denne samtale."),
    "cutoff_passed": _l(
        "Tiden kan ikke flyttes eller aflyses her, når der er mindre end %(hours)s timer "
        "til samtalen. Ring til jobcentret."
    ),
    "deadline_passed": _l(
        "Fristen for selv at booke er overskredet. Jobcentret booker en tid til dig og "
        "sender den i Digital Post."
    ),
    "not_found": _l("Vi kunne ikke finde bookingen."),
    # citizen_view.FilterProblem
    "unknown_channel": _l("Vælg en af de viste fremmødeformer."),
    "unknown_week": _l("Vælg en af de viste uger."),
    "unknown_day": _l("Der er ingen ledige tider den valgte dag. Vælg en af de viste dage."),
}


def message(err: ServiceError) -> str:
    return translate(err, MESSAGES)


def cutoff_message(hours: int) -> str:
    """The refusal to move or cancel a booking this close to its time."""
    return message(ServiceError("cutoff_passed", hours=hours))
