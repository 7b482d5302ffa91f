"""Importing a job centre from files: good files, re-import, dry runs and the audit, on SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from booking.db import db
from booking.models import Citizen, HeldConversation, Obligation, ObligationState, ProgrammePause
from tests.imports.helpers import (
    ORDER,
    audit_details,
    counts,
    import_samples,
    run,
    sample,
)

EXPECTED = {"units": 2, "caseworkers": 3, "citizens": 3, "programmes": 3, "history": 6,
            "absences": 3}


def test_good_files_dry_run_then_import_then_reimport_changes_nothing(db_app):
    empty = counts(db_app)
    for kind in ORDER:
        dry = run(db_app, kind, sample(kind), dry_run=True)
        assert dry.ok, dry.errors
        assert (dry.created, dry.changed, dry.unchanged) == (EXPECTED[kind], 0, 0)
        assert not dry.written
        if kind == "units":
            assert counts(db_app) == empty  # a dry run writes nothing
        real = run(db_app, kind, sample(kind))
        assert real.ok and real.written
        assert (real.created, real.changed, real.unchanged) == (EXPECTED[kind], 0, 0)
    after = counts(db_app)
    assert after["units"] == 2 and after["caseworkers"] == 3 and after["citizens"] == 3
    assert after["programmes"] == 3 and after["programme_pauses"] == 1
    assert after["held_conversations"] == 5  # the no-show is not a held conversation
    assert after["absences"] == 3 and after["obligations"] > 0

    for kind in ORDER:
        again = run(db_app, kind, sample(kind))
        assert again.ok and again.written
        assert (again.created, again.changed) == (0, 0), kind
        assert again.unchanged == EXPECTED[kind]
        assert again.citizens_recomputed == 0
    assert counts(db_app) == after

    details = audit_details(db_app, "import.history")
    assert [d["dry_run"] for d in details] == [True, False, False]
    assert details[1]["created"] == 6 and details[2]["unchanged"] == 6
    assert "010190" not in str(audit_details(db_app, "import.citizens"))


def test_citizens_are_stored_as_hash_and_masked_form_only(db_app):
    import_samples(db_app, "citizens")
    with db_app.app_context(), db.fresh_session() as session:
        anna = session.scalar(select(Citizen).where(Citizen.name == "Anna Nielsen"))
        assert anna is not None
        assert anna.cpr_masked == "010190-xxxx"
        assert anna.birth_date == date(1990, 1, 1)
        assert "0101901234" not in anna.cpr_hash and len(anna.cpr_hash) == 64
        assert anna.caseworker is not None and anna.caseworker.external_id == "SB-101"
        assert anna.unit.code == "NORD"
        camilla = session.scalar(select(Citizen).where(Citizen.name == "Camilla Berg"))
        assert camilla is not None and camilla.language == "en"
        assert camilla.birth_date == date(2002, 7, 2)


def test_obligations_are_recomputed_after_a_history_import(db_app):
    import_samples(db_app, "programmes")
    with db_app.app_context(), db.fresh_session() as session:
        before = {o.id for o in session.scalars(select(Obligation).where(
            Obligation.state == ObligationState.fulfilled))}
    result = run(db_app, "history", sample("history"))
    assert result.citizens_recomputed == 3
    with db_app.app_context(), db.fresh_session() as session:
        fulfilled = list(session.scalars(select(Obligation).where(
            Obligation.state == ObligationState.fulfilled)))
        assert len(fulfilled) > len(before)
        assert date(2026, 10, 8) in {o.fulfilled_on for o in fulfilled}
        bo = session.scalar(select(Citizen).where(Citizen.name == "Bo Sørensen"))
        assert bo is not None
        assert (bo.attended_count, bo.missed_count) == (2, 1)
        assert bo.show_probability < 0.85


def test_a_changed_row_is_counted_as_changed_and_stored(db_app):
    import_samples(db_app, "programmes")
    citizens = sample("citizens").decode().replace("Bo Sørensen", "Bo Sørensen-Holm")
    result = run(db_app, "citizens", citizens.encode())
    assert (result.created, result.changed, result.unchanged) == (0, 1, 2)
    programmes = sample("programmes").decode().replace(
        "03-08-2026..16-08-2026", "03-08-2026..20-08-2026|01-10-2026..")
    result = run(db_app, "programmes", programmes.encode())
    assert (result.created, result.changed, result.unchanged) == (0, 1, 2)
    assert result.citizens_recomputed == 1
    with db_app.app_context(), db.fresh_session() as session:
        assert session.scalar(select(Citizen.id).where(Citizen.name == "Bo Sørensen-Holm"))
        pauses = session.execute(select(ProgrammePause.start_date, ProgrammePause.end_date)
                                 .order_by(ProgrammePause.start_date)).all()
        assert pauses == [(date(2026, 8, 3), date(2026, 8, 20)), (date(2026, 10, 1), None)]


def test_a_held_conversation_cannot_become_a_no_show(db_app):
    import_samples(db_app, "history")
    history = sample("history").decode().replace(
        "S-5001;010190-1234;13-07-2026;samtale;jobcenter;afholdt",
        "S-5001;010190-1234;13-07-2026;samtale;jobcenter;udeblevet")
    before = counts(db_app)
    result = run(db_app, "history", history.encode())
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "udfald", "outcome_changed")]
    assert not result.written
    assert counts(db_app) == before
    with db_app.app_context(), db.fresh_session() as session:
        assert session.scalar(select(HeldConversation.id).where(
            HeldConversation.external_id == "S-5001"))


def test_the_bulk_recompute_stores_what_refresh_stores(db_app):
    """After an import, recomputing every citizen one by one (the rules recompute) finds
    nothing to add, remove or move."""
    from booking.services.law.context import LawConfig
    from booking.services.law.recompute import recompute_all
    from tests.imports.helpers import TODAY

    import_samples(db_app, "history")
    changed = sample("history").decode().replace("20-07-2026;samtale;a-kasse",
                                                 "27-07-2026;samtale;a-kasse")
    assert run(db_app, "history", changed.encode()).changed == 1
    settings = db_app.extensions["rettidig_settings"]

    def snapshot(session):
        return sorted(session.execute(select(
            Obligation.programme_id, Obligation.step_key, Obligation.state,
            Obligation.deadline, Obligation.statutory_deadline, Obligation.fulfilled_on,
            Obligation.rule_set_code, Obligation.channels, Obligation.label_da)).all())

    with db_app.app_context(), db.fresh_session() as session:
        before = snapshot(session)
        report = recompute_all(session, TODAY, config=LawConfig.from_settings(settings))
        after = snapshot(session)
    assert report.citizens == 3
    assert all((g.added, g.removed, g.moved) == (0, 0, 0) for g in report.groups.values())
    assert after == before and len(before) > 10


def test_a_programme_id_cannot_move_to_another_citizen(app):
    import_samples(app, "programmes")
    moved = sample("programmes").decode().replace("F-1001;010190-1234", "F-1001;150385-2345")
    result = run(app, "programmes", moved.encode())
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "cpr", "other_citizen")]


def test_a_citizen_with_a_live_booking_keeps_it_through_the_recompute(app):
    """Such a citizen takes the one-by-one refresh: the booked obligation stays booked."""
    from datetime import time

    from booking.models import Booking, BookingSource, BookingState, Caseworker, Channel, Slot
    from booking.services.calendar_days import local_datetime

    import_samples(app, "programmes")
    with app.app_context(), db.fresh_session() as session:
        anna = session.scalar(select(Citizen).where(Citizen.name == "Anna Nielsen"))
        assert anna is not None
        ob = session.scalar(select(Obligation).where(
            Obligation.citizen_id == anna.id, Obligation.state == ObligationState.open,
            Obligation.kind == "conversation", Obligation.holder == "jobcentre",
            Obligation.earliest > date(2026, 8, 1)).order_by(Obligation.deadline))
        assert ob is not None
        worker = session.scalar(select(Caseworker).where(Caseworker.external_id == "SB-101"))
        slot = Slot(caseworker_id=worker.id, minutes=30, channel=Channel.in_person,
                    starts_at=local_datetime(ob.deadline, time(9, 0)))
        session.add(slot)
        session.flush()
        session.add(Booking(slot_id=slot.id, citizen_id=anna.id, obligation_id=ob.id,
                            state=BookingState.booked, source=BookingSource.staff,
                            ical_uid="import-test@rettidig"))
        ob.state = ObligationState.booked
        session.commit()
        booked_id = ob.id
    assert run(app, "history", sample("history")).ok
    with app.app_context(), db.fresh_session() as session:
        row = session.get(Obligation, booked_id)
        assert row is not None and row.state == ObligationState.booked
