"""Day first, then times (issue 16): the days with free times (with their count and first time)
as links, the chosen day's times as radio buttons, the chosen time and the Book button together;
filters as GET parameters (``?dag=&kanal=&uge=``) so everything works without JavaScript; the
script (a file, under the CSP) only makes it apply at once. No ISO date in the page's text."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from booking.models import Booking
from booking.services import citizen_view
from tests.booking.conftest import add_slot, at

from .conftest import request_key, visible_text

ISO = re.compile(r"\b\d{4}-\d\d-\d\d\b")


def _slot_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="slot" id="slot-(\d+)"', html)]


def _day_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*dag=\d{4}-\d\d-\d\d[^"]*)" data-picker="day"', html)


def test_days_come_with_their_count_and_first_time_and_the_first_day_is_shown(
    session, world, settings
):
    add_slot(session, world.cw, at(2, 14), "video")  # a second time on day 2
    page = citizen_view.choose_page(session, world.citizen.id, world.ob.id, settings)
    day2, day3, day4, day5 = (world.slots[i].starts_at.date() for i in (0, 2, 3, 4))
    assert [(c.day, c.count) for c in page.day_choices] == [
        (day2, 3), (day3, 1), (day4, 1), (day5, 1)
    ]
    assert page.day_choices[0].first.slot_id == world.slots[0].id
    assert page.day == day2 and not page.day_given  # a phone shows step 1: the days
    assert [o.starts_at for o in page.times] == [at(2, 9), at(2, 10), at(2, 14)]
    chosen = citizen_view.choose_page(
        session, world.citizen.id, world.ob.id, settings, day=day4.isoformat()
    )
    assert chosen.day == day4 and chosen.day_given and chosen.problems == []
    assert [o.slot_id for o in chosen.times] == [world.slots[3].id]


def test_a_day_without_free_times_is_named_and_the_first_day_shown(session, world, settings):
    day3 = world.slots[2].starts_at.date()  # only a phone time that day
    for raw in ("nej", "2027-02-30", (day3 + timedelta(days=40)).isoformat()):
        page = citizen_view.choose_page(
            session, world.citizen.id, world.ob.id, settings, day=raw
        )
        assert [p.code for p in page.problems] == ["unknown_day"], raw
        assert page.day == page.day_choices[0].day and not page.day_given
    video = citizen_view.choose_page(
        session, world.citizen.id, world.ob.id, settings, channel="video", day=day3.isoformat()
    )
    assert [p.code for p in video.problems] == ["unknown_day"]
    assert [o.channel for o in video.times] == ["video"]


def test_the_page_lists_days_as_links_that_keep_the_filters(app, client, world, citizen_login):
    citizen_login(app, world.citizen, client)
    page = client.get(f"/borger/samtale/{world.ob.id}?kanal=phone")
    assert page.status_code == 200
    links = _day_links(page.text)
    assert len(links) == 2 and all("kanal=phone" in link for link in links)
    assert 'class="picker step-days"' in page.text
    assert "1 ledig tid, første kl. 10:00" in visible_text(page.text)
    assert _slot_ids(page.text) == [world.slots[1].id]
    second = client.get(links[1].replace("&amp;", "&"))
    assert 'class="picker step-times"' in second.text  # a phone shows step 2: the times
    assert _slot_ids(second.text) == [world.slots[2].id]
    back = re.search(r'<a href="([^"]*)" data-picker="back">Tilbage til dage</a>', second.text)
    assert back and "kanal=phone" in back.group(1) and "dag=" not in back.group(1)
    # the chosen day is marked for screen readers, the form posts back to the same day
    assert second.text.count('aria-current="true"') == 1
    action = re.search(r'<form method="post" action="([^"]*)" class="times-pane"', second.text)
    assert "dag=" in action.group(1) and "kanal=phone" in action.group(1)


def test_no_iso_date_in_the_text_and_the_choice_is_announced(app, client, world, citizen_login):
    citizen_login(app, world.citizen, client)
    day = world.slots[3].starts_at.date()
    page = client.get(f"/borger/samtale/{world.ob.id}?dag={day.isoformat()}")
    text = visible_text(page.text)
    assert not ISO.search(text), ISO.search(text)
    assert re.search(r'<p id="chosen-time" aria-live="polite"', page.text)
    assert 'aria-describedby="chosen-time"' in page.text
    assert "Du har ikke valgt en tid endnu." in text
    assert 'src="/static/citizen.js"' in page.text and "<script>" not in page.text
    assert 'class="secondary filter-submit">Vis tider</button>' in page.text  # works without JS


def test_a_bad_day_in_the_address_is_a_danish_message_never_a_500(
    app, client, world, citizen_login
):
    citizen_login(app, world.citizen, client)
    for raw in ("nej", "9999-12-31", "2027-13-01", "%20", "1" * 300):
        page = client.get(f"/borger/samtale/{world.ob.id}?dag={raw}")
        assert page.status_code == 200, raw
        assert "Der er ingen ledige tider den valgte dag. Vælg en af de viste dage." in page.text
        assert _slot_ids(page.text) == [world.slots[0].id, world.slots[1].id]


def test_a_choice_that_cannot_be_booked_shows_the_same_day_again(
    app, client, world, citizen_login
):
    citizen_login(app, world.citizen, client)
    day = world.slots[2].starts_at.date().isoformat()
    page = client.get(f"/borger/samtale/{world.ob.id}?dag={day}")
    action = re.search(r'<form method="post" action="([^"]*)" class="times-pane"', page.text)
    again = client.post(
        action.group(1).replace("&amp;", "&"),
        data={"slot": "999999", "request_key": request_key(page.text)},
    )
    assert again.status_code == 422
    assert "Den valgte tid kan ikke bookes" in again.text
    assert 'class="picker step-times"' in again.text  # still the day the citizen chose


def test_moving_a_booking_uses_the_same_picker(app, client, session, world, citizen_login):
    citizen_login(app, world.citizen, client)
    page = client.get(f"/borger/samtale/{world.ob.id}")
    client.post(
        f"/borger/samtale/{world.ob.id}/book",
        data={"slot": str(world.slots[0].id), "request_key": request_key(page.text)},
    )
    booking = session.scalar(select(Booking))
    day = world.slots[3].starts_at.date().isoformat()
    move = client.get(f"/borger/booking/{booking.id}/flyt?dag={day}")
    assert move.status_code == 200 and "Flyt din samtale" in move.text
    assert _slot_ids(move.text) == [world.slots[3].id]
    assert all(f"/borger/booking/{booking.id}/flyt?" in link for link in _day_links(move.text))
    done = client.post(
        f"/borger/booking/{booking.id}/flyt?dag={day}",
        data={"slot": str(world.slots[3].id), "request_key": request_key(move.text)},
    )
    assert done.status_code == 302 and "vist=flyttet" in done.headers["Location"]
    session.rollback()
    session.refresh(booking)
    assert booking.slot_id == world.slots[3].id
