"""Issue 14 item 5: the administrator's account services, on SQLite and PostgreSQL. Each is a
unit of work (a second session sees what it committed), audits what it changed, and a refusal
changes nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.database import transaction
from booking.db import db
from booking.models import AuditEntry, Caseworker, OutboxMessage, Role, StaffUser
from booking.services import accounts, admin_users
from booking.services.admin_users import AdminError, ResetLinkError, UserInput
from booking.services.errors import FormErrors, NotFound
from booking.services.security import Passwords
from tests import factories

SECRET = "test-secret"
PASSWORDS = Passwords(1, 8192)


def _link(token: str) -> str:
    return f"https://rettidig.test/adgangskode/{token}"


@contextmanager
def session_of(app) -> Iterator[Session]:
    with app.app_context(), db.fresh_session() as s:
        yield s


@pytest.fixture
def world(db_app):
    with session_of(db_app) as s:
        unit, other = factories.unit(s), factories.unit(s)
        admin = factories.staff(s, Role.admin, username="chef")
        s.commit()
        return {"unit": unit.id, "other": other.id, "admin": admin.id}


def _create(s, world, **kw):
    data = UserInput(**{"username": "jens.hansen", "full_name": "Jens Hansen",
                        "role": Role.caseworker, "unit_id": world["unit"], **kw})
    return admin_users.create_user(s, PASSWORDS, data, actor_id=world["admin"], secret=SECRET,
                                   hours=24, link=_link)


def _actions(app) -> list[str]:
    with session_of(app) as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_new_caseworker_gets_a_caseworker_row_a_link_and_an_email(db_app, world):
    with session_of(db_app) as s:
        user, made = _create(s, world, email="jens@kommune.dk", initials="jh")
        user_id = user.id
    assert made.url.startswith("https://rettidig.test/adgangskode/") and made.emailed_to
    with session_of(db_app) as s:  # committed: another session sees it
        user = s.get(StaffUser, user_id)
        cw = s.scalars(select(Caseworker).where(Caseworker.staff_user_id == user_id)).one()
        assert (cw.unit_id, cw.initials, cw.name, cw.active) == (world["unit"], "JH",
                                                                 "Jens Hansen", True)
        mail = s.scalars(select(OutboxMessage)).one()
        assert mail.recipient == "jens@kommune.dk" and made.url in mail.body
        assert accounts.authenticate(s, PASSWORDS, "jens.hansen", "") is None  # no password yet
    assert _actions(db_app) == ["admin.user_created", "admin.password_link_issued"]


def test_creation_refusals_name_their_fields_and_change_nothing(db_app, world):
    with session_of(db_app) as s:
        with pytest.raises(FormErrors) as caught:
            _create(s, world, username="Chef", unit_id=None, email="not-an-address")
        assert {k: v.code for k, v in caught.value.fields.items()} == {
            "username": "username_taken", "unit": "unit_required", "email": "email_invalid"}
        with pytest.raises(FormErrors) as caught:
            _create(s, world, username="x y", unit_id=999_999)
        assert {k: v.code for k, v in caught.value.fields.items()} == {
            "username": "username_invalid", "unit": "unit_unknown"}
    with session_of(db_app) as s:
        assert s.scalar(select(func.count()).select_from(StaffUser)) == 1
    assert _actions(db_app) == []


def test_role_and_unit_changes_are_audited_and_end_sessions(db_app, world):
    with session_of(db_app) as s:
        user, _made = _create(s, world)
        user_id, version = user.id, user.session_version
    with session_of(db_app) as s:
        admin_users.update_user(s, user_id, UserInput("Jens Hansen", Role.caseworker,
                                                      world["other"], initials="JHA"),
                                actor_id=world["admin"])
    with session_of(db_app) as s:
        cw = s.scalars(select(Caseworker).where(Caseworker.staff_user_id == user_id)).one()
        assert (cw.unit_id, cw.initials) == (world["other"], "JHA")
        assert s.get(StaffUser, user_id).session_version == version  # a unit: no log-out
        admin_users.update_user(s, user_id, UserInput("Jens H.", Role.planner, None),
                                actor_id=world["admin"])
    with session_of(db_app) as s:
        user = s.get(StaffUser, user_id)
        assert (user.role, user.unit_id, user.full_name) == (Role.planner, None, "Jens H.")
        assert user.session_version == version + 1
        cw = s.scalars(select(Caseworker).where(Caseworker.staff_user_id == user_id)).one()
        assert cw.active is False  # kept for its history, no longer bookable
        entries = s.scalars(select(AuditEntry).where(AuditEntry.object_id == user_id)
                            .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries][-5:] == [
        "admin.unit_changed", "admin.user_updated",  # the first change; then the second
        "admin.role_changed", "admin.unit_changed", "admin.user_updated"]
    assert entries[-5].detail == {"from": world["unit"], "to": world["other"]}
    assert entries[-4].detail == {"fields": ["initials"]}
    assert entries[-3].detail == {"from": "caseworker", "to": "planner"}
    assert entries[-1].detail == {"fields": ["full_name"]}


def test_deactivate_and_reactivate(db_app, world):
    with session_of(db_app) as s:
        user, _made = _create(s, world)
        user_id, version = user.id, user.session_version
        admin_users.set_active(s, user_id, False, actor_id=world["admin"])
    with session_of(db_app) as s:
        user = s.get(StaffUser, user_id)
        assert user.active is False and user.session_version == version + 1
        assert s.scalars(select(Caseworker.active)
                         .where(Caseworker.staff_user_id == user_id)).one() is False
        with pytest.raises(AdminError, match="already_inactive"):
            admin_users.set_active(s, user_id, False, actor_id=world["admin"])
        admin_users.set_active(s, user_id, True, actor_id=world["admin"])
    with session_of(db_app) as s:
        assert s.get(StaffUser, user_id).active is True
        with pytest.raises(NotFound):
            admin_users.set_active(s, 999_999, False, actor_id=world["admin"])
    assert _actions(db_app)[-2:] == ["admin.user_deactivated", "admin.user_reactivated"]


def test_an_admin_cannot_deactivate_or_demote_themselves_nor_the_last_admin(db_app, world):
    with session_of(db_app) as s:
        with pytest.raises(AdminError, match="own_account"):
            admin_users.set_active(s, world["admin"], False, actor_id=world["admin"])
        with pytest.raises(FormErrors) as caught:
            admin_users.update_user(s, world["admin"], UserInput("Chef", Role.manager),
                                    actor_id=world["admin"])
        assert caught.value.fields["role"].code == "own_account"
        # a second admin may not remove the first while it is the only other active admin...
        second = factories.staff(s, Role.admin, username="chef2")
        s.commit()
        admin_users.set_active(s, second.id, False, actor_id=world["admin"])
        # ...and a deactivated admin's action cannot remove the last active one
        with pytest.raises(AdminError, match="last_admin"):
            admin_users.set_active(s, world["admin"], False, actor_id=second.id)
        with pytest.raises(FormErrors) as caught:
            admin_users.update_user(s, world["admin"], UserInput("Chef", Role.manager),
                                    actor_id=second.id)
        assert caught.value.fields["role"].code == "last_admin"
    with session_of(db_app) as s:
        chef = s.get(StaffUser, world["admin"])
        assert chef.active and chef.role == Role.admin


def _issue(s, world, user_id):
    made = admin_users.issue_password_link(s, user_id, actor_id=world["admin"], secret=SECRET,
                                           hours=24, link=_link)
    return made.url.rsplit("/", 1)[1]


def test_a_password_link_works_once_and_only_the_newest(db_app, world):
    with session_of(db_app) as s:
        user, made = _create(s, world)
        first = made.url.rsplit("/", 1)[1]
        second = _issue(s, world, user.id)
        with pytest.raises(ResetLinkError, match="used"):  # replaced by the newer link
            admin_users.check_password_link(s, SECRET, first, 24)
        with pytest.raises(AdminError, match="password_short"):
            admin_users.use_password_link(s, PASSWORDS, SECRET, second, 24, "kort")
        with pytest.raises(AdminError, match="password_is_username"):
            admin_users.use_password_link(s, PASSWORDS, SECRET, second, 24, "JENS.HANSEN ")
        target = admin_users.use_password_link(s, PASSWORDS, SECRET, second, 24,
                                               "en lang og god sætning")
        assert target.username == "jens.hansen"
        with pytest.raises(ResetLinkError, match="used"):
            admin_users.use_password_link(s, PASSWORDS, SECRET, second, 24, "en anden sætning!")
        for bad in ("", "abc", second[:-3], second + "x"):
            with pytest.raises(ResetLinkError, match="invalid"):
                admin_users.check_password_link(s, SECRET, bad, 24)
        with pytest.raises(ResetLinkError, match="invalid"):
            admin_users.check_password_link(s, "another-secret", second, 24)
    with session_of(db_app) as s:
        assert accounts.authenticate(s, PASSWORDS, "jens.hansen", "en lang og god sætning")
    assert _actions(db_app)[-2:] == ["password_reset", "login"]


def test_a_link_expires_and_dies_with_deactivation(db_app, world, monkeypatch):
    import itsdangerous.timed

    with session_of(db_app) as s:
        user, made = _create(s, world)
        token = made.url.rsplit("/", 1)[1]
        real = itsdangerous.timed.TimestampSigner.get_timestamp
        monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp",
                            lambda self: real(self) + 25 * 3600)
        with pytest.raises(ResetLinkError, match="expired"):
            admin_users.check_password_link(s, SECRET, token, 24)
        monkeypatch.undo()
        assert admin_users.check_password_link(s, SECRET, token, 24).user_id == user.id
        admin_users.set_active(s, user.id, False, actor_id=world["admin"])
        with pytest.raises(ResetLinkError, match="used"):
            admin_users.check_password_link(s, SECRET, token, 24)
        with pytest.raises(AdminError, match="already_inactive"):
            _issue(s, world, user.id)


def test_two_admins_removing_each_other_at_once_leave_one(db_app, world):
    """The first removal holds its locks while the second starts: the second waits, then sees
    the first and is refused (SQLite: the write lock; PostgreSQL: the admin rows' locks)."""
    with session_of(db_app) as s:
        second_id = factories.staff(s, Role.admin, username="chef2").id
        s.commit()
    refused: list[str] = []

    def the_other_admin() -> None:
        with session_of(db_app) as s:
            try:
                admin_users.set_active(s, world["admin"], False, actor_id=second_id)
            except AdminError as err:
                refused.append(err.code)

    with session_of(db_app) as s:
        with transaction(s):  # the service joins it: nothing is committed before the end
            admin_users.set_active(s, second_id, False, actor_id=world["admin"])
            other = threading.Thread(target=the_other_admin)
            other.start()
            time.sleep(0.5)
            assert other.is_alive()  # waiting for the first to finish
        other.join(timeout=30)
    assert refused == ["last_admin"]
    with session_of(db_app) as s:
        assert s.get(StaffUser, world["admin"]).active is True
        assert s.get(StaffUser, second_id).active is False
