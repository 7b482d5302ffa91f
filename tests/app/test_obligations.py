"""Stored obligations follow the rules engine, bookings and group call-in invitations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from booking.models import (
    GroupSession,
    HeldConversation,
    Invitation,
    InvitationState,
    ObligationState,
    Role,
)
from booking.services.errors import NotFound
from booking.services.obligations import open_obligations, refresh_citizen
from booking.services.timeliness import Forbidden, manager_page, weekly_page
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



# --- the caseworker's weekly list and the manager's indicator, as the pages get them ----------


def _two_caseworkers(session):
    """A unit with two caseworkers: ``mine`` (with a staff login, one citizen) and ``other``."""
    unit = factories.unit(session)
    login_user = factories.staff(session, Role.caseworker)
    mine = factories.caseworker(session, unit, user=login_user)
    other = factories.caseworker(session, unit)
    citizen = factories.citizen(session, unit, cw=mine, start=date(2027, 1, 4))
    refresh_citizen(session, citizen, TODAY)
    session.commit()
    return SimpleNamespace(
        mine=mine.id, other=other.id, citizen=citizen.id, username=login_user.username
    )


def test_weekly_page_is_the_askers_own_unless_another_is_asked_for(session, settings):
    w = _two_caseworkers(session)
    rules = settings.rules
    own = weekly_page(session, rules, TODAY, asked_id=None, own_id=w.mine, own_only=True)
    assert own.caseworker.id == w.mine
    lines = own.weekly.overdue + own.weekly.due_soon + own.weekly.timely
    assert [line.citizen.id for line in lines] == [w.citizen] and own.weekly.today == TODAY
    with pytest.raises(Forbidden):
        weekly_page(session, rules, TODAY, asked_id=w.other, own_id=w.mine, own_only=True)
    seen = weekly_page(session, rules, TODAY, asked_id=w.other, own_id=None, own_only=False)
    assert seen.caseworker.id == w.other and seen.weekly.total == 0  # a manager may look
    with pytest.raises(NotFound):
        weekly_page(session, rules, TODAY, asked_id=999999, own_id=None, own_only=False)
    # a manager who has asked for no one chooses among the active caseworkers
    choose = weekly_page(session, rules, TODAY, asked_id=None, own_id=None, own_only=False)
    assert choose.caseworker is None and choose.weekly is None
    assert {w.mine, w.other} <= {cw.id for cw in choose.choices}


def test_weekly_list_page_refuses_another_caseworkers_list(app, session, login):
    w = _two_caseworkers(session)
    manager = factories.staff(session, Role.manager)
    session.commit()
    client = login(app, w.username)
    assert client.get("/sagsbehandler/").status_code == 200
    assert client.get(f"/sagsbehandler/?caseworker={w.mine}").status_code == 200
    assert client.get(f"/sagsbehandler/?caseworker={w.other}").status_code == 403
    boss = login(app, manager.username)
    assert boss.get(f"/sagsbehandler/?caseworker={w.other}").status_code == 200
    assert boss.get("/sagsbehandler/?caseworker=999999").status_code == 404
    chooser = boss.get("/sagsbehandler/")
    assert chooser.status_code == 200 and f'<option value="{w.other}"' in chooser.text


def test_manager_page_has_a_column_per_week_and_a_total(session, settings):
    _two_caseworkers(session)
    page = manager_page(
        session,
        settings.targets,
        TODAY,
        weeks=3,
        by="caseworker",
        exemption_warn_share=settings.rules.exemption_warn_share,
    )
    assert [c.start.weekday() for c in page.columns] == [0, 0, 0]
    assert page.columns[-1].end == TODAY - timedelta(days=TODAY.weekday())
    assert page.by == "caseworker" and page.weeks == 3 and page.targets == settings.targets
    assert set(page.total) >= {k for c in page.columns for k in c.rows}
