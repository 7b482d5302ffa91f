"""The caseworker's own time: the weekly working-hour template and the slots it makes,
absences (entered or imported from ``.ics``) and the booked conversations they fall over, and
the personal calendar feed (a secret-token ``.ics`` URL).

* :mod:`.scope`: who may edit whose time (the caseworker their own; a planner, manager or
  administrator any caseworker of their scope).
* :mod:`.week_plan`: template rows checked, the slots they make for the next weeks (the same
  :func:`~booking.services.slots.slot_specs` for the preview and for saving), saved.
* :mod:`.absences` and :mod:`.absence_ics`: absences, the bookings under them, and handing those
  to re-planning.
* :mod:`.feed`: the calendar feed and its token.
"""
