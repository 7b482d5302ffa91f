"""Check-in opens [callin] checkin_opens_minutes before the window; a check-in can be undone
for checkin_undo_minutes (audited), after which it stands; the desk's and the caseworker's
fingerprints change with what their screens show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import AuditEntry, Citizen, Invitation, InvitationState
from booking.services.callin import CallinError
from booking.services.callin.board import board, board_version, queue_version
from booking.services.callin.desk import check_in, finish, undo_check_in
from tests.callin.helpers import DAY, SETTINGS, at, build

SECOND = timedelta(seconds=1)


def test_check_in_opens_the_set_minutes_before_the_window(app):
    w = build(app, caseworkers=1, citizens=2)  # window 09:00–12:00
    a, b = w.invitation_ids
    with app.app_context(), db.fresh_session() as s:
        with pytest.raises(CallinError) as err:
            check_in(s, a, SETTINGS, now=at(8, 29), staff_id=None)
        assert err.value.code == "checkin_not_open"
        assert err.value.params["opens"] == at(8, 30) and err.value.params["minutes"] == 30
        assert s.get(Invitation, a).state == InvitationState.invited
        early = check_in(s, a, SETTINGS, now=at(8, 30), staff_id=None)
        assert early.invitation.state == InvitationState.in_progress
        # another setting moves the opening
        later = SETTINGS.model_copy(update={"checkin_opens_minutes": 0})
        with pytest.raises(CallinError):
            check_in(s, b, later, now=at(8, 59), staff_id=None)
        assert check_in(s, b, later, now=at(9), staff_id=None).caseworker is None  # waits


def test_undo_within_the_minutes_restores_the_invitation_and_hands_the_caseworker_on(db_app):
    w = build(db_app, caseworkers=1, citizens=3)
    a, b, c = w.invitation_ids
    with db_app.app_context(), db.fresh_session() as s:
        check_in(s, a, SETTINGS, now=at(9, 0), staff_id=w.staff_id)  # to the caseworker
        check_in(s, b, SETTINGS, now=at(9, 2), staff_id=w.staff_id)  # waits
        citizen = s.get(Citizen, s.get(Invitation, a).citizen_id)
        attended, probability = citizen.attended_count, citizen.show_probability
        undone = undo_check_in(s, a, SETTINGS, now=at(9, 10), staff_id=w.staff_id)
        assert undone.invitation.state == InvitationState.invited
        assert undone.invitation.arrived_at is None and undone.invitation.caseworker_id is None
        # the freed caseworker takes the one waiting
        assert undone.handed_over is not None and undone.handed_over.invitation.id == b
        assert s.get(Invitation, b).state == InvitationState.in_progress
        s.refresh(citizen)
        assert citizen.attended_count == attended - 1
        assert citizen.show_probability < probability
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "callin_checkin_undone"))
        assert entry.actor_id == w.staff_id and entry.object_id == a
        assert entry.citizen_id == citizen.id
        # checked in again later, that one can be undone in its own minutes, not after
        check_in(s, a, SETTINGS, now=at(9, 20), staff_id=w.staff_id)
        with pytest.raises(CallinError) as err:
            undo_check_in(s, a, SETTINGS, now=at(9, 30) + SECOND, staff_id=w.staff_id)
        assert err.value.code == "undo_expired" and err.value.params["minutes"] == 10
        assert s.get(Invitation, a).state == InvitationState.arrived
        # a finished conversation cannot be undone; a citizen not checked in neither
        finish(s, b, now=at(9, 40), staff_id=None)
        with pytest.raises(CallinError) as err:
            undo_check_in(s, b, SETTINGS, now=at(9, 41), staff_id=None)
        assert err.value.code == "undo_served"
        with pytest.raises(CallinError) as err:
            undo_check_in(s, c, SETTINGS, now=at(9, 41), staff_id=None)
        assert err.value.code == "undo_not_arrived"


def test_board_shows_what_can_be_undone_and_the_fingerprints_follow_the_desk(app):
    w = build(app, caseworkers=1, citizens=2)
    a, _b = w.invitation_ids
    with app.app_context(), db.fresh_session() as s:
        before = board_version(s, w.session_id, SETTINGS, now=at(8))
        queue_before = queue_version(s, w.caseworker_ids[0], DAY)
        assert before == board_version(s, w.session_id, SETTINGS, now=at(8, 10))  # no change
        opened = board_version(s, w.session_id, SETTINGS, now=at(8, 31))
        assert opened != before  # check-in opened: the Mødt buttons appear
        check_in(s, a, SETTINGS, now=at(9), staff_id=None)
        arrived = board_version(s, w.session_id, SETTINGS, now=at(9, 1))
        assert arrived != opened
        assert queue_version(s, w.caseworker_ids[0], DAY) != queue_before
        gs = s.get(Invitation, a).session
        assert a in board(s, gs, SETTINGS, now=at(9, 10)).undo_until
        assert a not in board(s, gs, SETTINGS, now=at(9, 10) + SECOND).undo_until
        # the undo time running out changes the board too (its button goes)
        assert board_version(s, w.session_id, SETTINGS, now=at(9, 11)) != arrived
        assert board_version(s, 99999, SETTINGS, now=at(9)) is None
