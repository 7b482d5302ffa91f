"""The group call-in letter and its calendar invitation are written in the citizen's own
language (issue 16: "letters and SMS in the citizen's language")."""

from __future__ import annotations

from sqlalchemy import select

from booking.db import db
from booking.models import Citizen, OutboxMessage
from booking.services.callin.sessions import invite
from tests.booking.catalogue import english_or_skip
from tests.callin.helpers import INVITE, SETTINGS, build

DANISH = "Du er indkaldt til en samtale i jobcentret."


def test_call_in_letters_follow_the_citizens_language(app):
    world = build(app, citizens=2, invite_all=False)
    english_id, danish_id = world.citizen_ids
    with app.app_context(), db.fresh_session() as s:
        s.get(Citizen, english_id).language = "en"
        s.commit()
        invite(s, world.session_id, 2, SETTINGS, staff_id=world.staff_id, **INVITE)
        bodies = {
            m.citizen_id: (m.body, m.ics or "")
            for m in s.scalars(select(OutboxMessage).where(
                OutboxMessage.citizen_id.in_(world.citizen_ids)))
        }
    english = english_or_skip(DANISH)
    assert english != DANISH
    assert english in bodies[english_id][0] and DANISH not in bodies[english_id][0]
    assert DANISH in bodies[danish_id][0] and english not in bodies[danish_id][0]
