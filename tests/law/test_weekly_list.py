"""The weekly list as the seeds define it: overdue by the statutory deadline within the
look-back (a late conversation clears it), due within 3 weeks never in the past, timely; the
resource programme's 2-month indicator; booked times and links on the page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from booking.models import HeldConversation, Role
from booking.services.clock import today_local
from booking.services.obligations import refresh_citizen
from booking.services.timeliness import weekly_list
from tests import factories
from tests.law.helpers import book, citizen, obligation

START = date(2026, 9, 7)  # cash benefit: the first conversation by 14 September 2026


def _list(dbs, cw, today):
    return weekly_list(dbs, today, caseworker_id=cw.id, due_soon_days=21, lookback_days=28,
                       indicator_months=2)


def _status(weekly, citizen_id):
    for key in ("overdue", "due_soon", "timely"):
        for line in getattr(weekly, key):
            if line.citizen.id == citizen_id:
                return key, line
    raise AssertionError("citizen not on the list")


def test_a_missed_conversation_is_overdue_only_within_the_lookback(dbs, auto):
    unit = factories.unit(dbs)
    cw = factories.caseworker(dbs, unit)
    missed = citizen(dbs, unit, "cash_benefit", START, cw=cw, law=auto, today=START)
    dbs.commit()
    for today, expected in [(date(2026, 9, 24), "overdue"), (date(2026, 10, 12), "overdue"),
                            (date(2026, 10, 13), "timely"), (date(2026, 10, 24), "timely")]:
        refresh_citizen(dbs, missed, today, law=auto)
        key, line = _status(_list(dbs, cw, today), missed.id)
        assert key == expected, today
        if key == "overdue":
            assert line.reason.step_key.endswith("first_conversation:1:1")
            assert line.reason.statutory_deadline == date(2026, 9, 14)


def test_a_late_conversation_clears_overdue(dbs, auto):
    unit = factories.unit(dbs)
    cw = factories.caseworker(dbs, unit)
    today = date(2026, 9, 24)
    # education benefit: the first of four by 1 week; a later one still fulfils it, late
    c = citizen(dbs, unit, "education_benefit", START, cw=cw, law=auto, today=today)
    dbs.commit()
    assert _status(_list(dbs, cw, today), c.id)[0] == "overdue"
    c.conversations.append(HeldConversation(held_on=date(2026, 9, 21)))
    dbs.flush()
    refresh_citizen(dbs, c, today, law=auto)
    first = obligation(dbs, c.id, "four_in_six_months:1:1")
    assert first.fulfilled_on == date(2026, 9, 21) > first.statutory_deadline
    assert _status(_list(dbs, cw, today), c.id)[0] == "timely"


def test_due_soon_follows_the_statutory_deadline_and_never_shows_a_past_date(dbs, auto):
    unit = factories.unit(dbs)
    cw = factories.caseworker(dbs, unit)
    today = date(2027, 2, 20)
    held = [date(2026, 9, 10)]
    soon = citizen(dbs, unit, "cash_benefit", START, cw=cw, held=held, law=auto, today=today)
    later = citizen(dbs, unit, "cash_benefit", date(2026, 12, 7), cw=cw,
                    held=[date(2026, 12, 9)], law=auto, today=today)
    dbs.commit()
    weekly = _list(dbs, cw, today)
    key, line = _status(weekly, soon.id)
    assert key == "due_soon" and line.reason.statutory_deadline == date(2027, 3, 7)
    assert line.reason.deadline < today  # behind plan (planning date passed), not late
    for line in weekly.due_soon:
        assert today <= line.shown.statutory_deadline <= today + timedelta(days=21)
    # a planning date within 3 weeks but the statutory one months away: timely
    key, line = _status(weekly, later.id)
    assert key == "timely" and line.next_obligation.deadline <= today + timedelta(days=21)


def test_the_page_shows_both_deadlines_the_booking_the_indicator_and_links(
    app, session, login, auto
):
    unit = factories.unit(session)
    user = factories.staff(session, Role.caseworker)
    cw = factories.caseworker(session, unit, user=user)
    today = today_local()
    start = today - timedelta(days=150)
    c = citizen(session, unit, "cash_benefit", start, cw=cw, held=[start + timedelta(days=2)],
                law=auto, today=today)
    ob = obligation(session, c.id, "more_in_six_months:1:1")
    at = datetime.combine(today + timedelta(days=3), datetime.min.time(), UTC).replace(hour=9)
    book(session, cw, c, ob, at)
    rp = citizen(session, unit, "resource_programme", date(2026, 5, 4), cw=cw,
                 held=[today - timedelta(days=20)], law=auto, today=today)
    session.commit()
    page = login(app, user.username).get("/sagsbehandler/").text
    assert "lovens frist" in page and "planlagt senest" in page
    assert f'/borgere/{c.id}"' in page and f'/borgere/{rp.id}"' in page
    assert "Samtale inden for 2 mdr.:" in page and "Ressourceforløb med samtale" in page
    assert " kl. " in page  # the booked time of the next conversation
    assert "Rettidige" in page and "Forfalder inden 3 uger" in page and "Overskredet" in page
