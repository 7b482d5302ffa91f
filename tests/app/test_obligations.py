"""Stored obligations follow the rules engine, bookings and group call-in invitations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from booking.models import (
    GroupSession,
    HeldConversation,
    Invitation,
    InvitationState,
    ObligationState,
)
from booking.services.obligations import open_obligations, refresh_citizen
from tests import factories

TODAY = date(2027, 3, 1)


def test_refresh_stores_obligations_and_keeps_an_invited_one_booked(session):
    unit = factories.unit(session)
    citizen = factories.citizen(session, unit, group="resource_programme",
                                start=date(2027, 1, 4))
    rows = refresh_citizen(session, citizen, TODAY)
    first = open_obligations(session, citizen.id)[0]
    assert rows and first.state == ObligationState.open
    assert first.channels == ["in_person"]  # the first conversation is in person
    group = GroupSession(starts_at=datetime(2027, 3, 3, 8, tzinfo=UTC),
                         ends_at=datetime(2027, 3, 3, 12, tzinfo=UTC), location="Jobcentret",
                         minutes_per_conversation=30)
    session.add(group)
    session.flush()
    invitation = Invitation(session_id=group.id, citizen_id=citizen.id, obligation_id=first.id,
                            show_probability=0.6, ical_uid="x@rettidig")
    session.add(invitation)
    session.flush()
    refresh_citizen(session, citizen, TODAY)
    assert first.state == ObligationState.booked
    invitation.state = InvitationState.no_show
    session.flush()
    refresh_citizen(session, citizen, TODAY)
    assert first.state == ObligationState.open


def test_a_held_conversation_fulfils_the_obligation(session):
    unit = factories.unit(session)
    citizen = factories.citizen(session, unit, group="cash_benefit", start=date(2027, 2, 1))
    refresh_citizen(session, citizen, TODAY)
    first = open_obligations(session, citizen.id)[0]
    citizen.conversations.append(HeldConversation(held_on=date(2027, 2, 5)))
    session.flush()
    refresh_citizen(session, citizen, TODAY)
    assert first.state == ObligationState.fulfilled and first.fulfilled_on == date(2027, 2, 5)
    assert first not in open_obligations(session, citizen.id)
