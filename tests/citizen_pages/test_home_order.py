"""The citizen's conversations are listed in the order they fall due (deadline, then number),
whichever of them is booked: a later conversation booked first stays in its place."""

from __future__ import annotations

import re

from booking.services import reservations
from tests.booking.conftest import add_obligation


def test_conversations_are_listed_by_deadline_booked_or_not(
    app, client, session, world, citizen_login
):
    third = add_obligation(session, world.citizen, deadline=12, sequence=3)
    fourth = add_obligation(session, world.citizen, deadline=20, sequence=4)
    session.commit()
    reservations.book(  # the 4th is booked, the 3rd is not
        session,
        citizen_id=world.citizen.id,
        obligation_id=fourth.id,
        slot_id=world.slots[1].id,
        request_key=None,
        settings=app.extensions["rettidig_settings"],
    )
    citizen_login(app, world.citizen, client)
    home = client.get("/borger/")
    order = [int(i) for i in re.findall(r'<h2 id="ob-(\d+)"', home.text)]
    assert order == [third.id, fourth.id, world.ob.id]  # deadlines day 12, 20, 30
    booked = home.text.index(f'id="ob-{fourth.id}"')
    assert "Du har booket" in home.text[booked:home.text.index(f'id="ob-{world.ob.id}"')]
