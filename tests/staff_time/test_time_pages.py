"""The time pages on the web: the template editor's preview ("Vis forslag") changes nothing,
saving publishes; refused blocks are named in Danish (422, nothing saved); absences entered
and imported, listed with the conversations inside, handed to re-planning; who may edit whose
time."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from booking.db import db
from booking.models import Absence, Booking, BookingState, Slot, WorkTemplate
from booking.services.clock import today_local

from .test_absences import _ics


def _block(i: int, weekday: str, start: str, end: str, minutes: str = "30",
           channel: str = "phone", location: str = "", bookable: bool = True) -> dict[str, str]:
    data = {f"blocks-{i}-weekday": weekday, f"blocks-{i}-start": start,
            f"blocks-{i}-end": end, f"blocks-{i}-minutes": minutes,
            f"blocks-{i}-channel": channel, f"blocks-{i}-location": location}
    if bookable:
        data[f"blocks-{i}-self_bookable"] = "y"
    return data


def _count(app, model, *where) -> int:
    with app.app_context(), db.fresh_session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_preview_shows_the_times_and_saves_nothing_then_save_publishes(app, world, login):
    client = login(app, world.cw_user)
    page = client.get("/sagsbehandler/arbejdstid")
    assert page.status_code == 200 and "Vis forslag" in page.get_data(as_text=True)
    form = {**_block(0, "1", "09:00", "10:00"), **_block(1, "", "", ""), "weeks": "2",
            "preview": "y"}
    shown = client.post("/sagsbehandler/arbejdstid", data=form)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "Forslag: tiderne fra" in html and "Nye tider, når du gemmer: 4" in html
    assert "09:00" in html and "09:30" in html
    assert _count(app, WorkTemplate) == 0
    before = _count(app, Slot, Slot.caseworker_id == world.cw_id)
    form.pop("preview")
    saved = client.post("/sagsbehandler/arbejdstid", data={**form, "save": "y"})
    assert saved.status_code == 302
    after = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Arbejdstiden er gemt: 4 nye tider" in after
    assert _count(app, WorkTemplate) == 1
    # the free 11.00 time is not in the template: it went; the booked one stays
    assert _count(app, Slot, Slot.caseworker_id == world.cw_id) == before + 4 - 1


def test_a_refused_block_is_named_and_nothing_is_saved(app, world, login):
    client = login(app, world.cw_user)
    form = {**_block(0, "0", "09:00", "12:00"), **_block(1, "0", "11:00", "13:00"),
            "weeks": "2", "save": "y"}
    refused = client.post("/sagsbehandler/arbejdstid", data=form)
    assert refused.status_code == 422
    assert "Blok 2 overlapper blok 1 på samme ugedag." in refused.get_data(as_text=True)
    incomplete = client.post("/sagsbehandler/arbejdstid",
                             data={**_block(0, "2", "09:00", ""), "weeks": "2", "save": "y"})
    assert incomplete.status_code == 422
    assert "Blok 1: Udfyld fra, til og minutter pr. samtale." in incomplete.get_data(
        as_text=True)
    assert _count(app, WorkTemplate) == 0


def test_who_may_edit_whose_template(app, world, login):
    colleague = login(app, world.other_user)
    assert colleague.get(f"/sagsbehandler/arbejdstid?caseworker={world.cw_id}").status_code == 403
    far = login(app, world.far_planner_user)
    assert far.get(f"/sagsbehandler/arbejdstid?caseworker={world.cw_id}").status_code == 403
    planner = login(app, world.planner_user)
    picker = planner.get("/sagsbehandler/arbejdstid")
    assert picker.status_code == 200 and "Vælg den sagsbehandler" in picker.get_data(as_text=True)
    form = {**_block(0, "3", "13:00", "14:00", minutes="60"), "weeks": "1", "save": "y"}
    done = planner.post(f"/sagsbehandler/arbejdstid?caseworker={world.cw_id}", data=form)
    assert done.status_code == 302 and f"caseworker={world.cw_id}" in done.headers["Location"]
    assert _count(app, WorkTemplate, WorkTemplate.caseworker_id == world.cw_id) == 1
    assert planner.get("/sagsbehandler/arbejdstid?caseworker=999999").status_code == 404


def test_an_absence_lists_the_conversation_and_hands_it_over(app, world, login):
    client = login(app, world.cw_user)
    day = today_local() + timedelta(days=3)
    added = client.post("/sagsbehandler/fravaer", data={
        "first_day": day.isoformat(), "last_day": day.isoformat(), "reason": "Syg"})
    assert added.status_code == 302
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "Fraværet er gemt" in page and world.citizen_name in page
    assert "Aflys samtalerne og send dem til genplanlægning" in page
    absence_id = int(added.headers["Location"].rsplit("/", 1)[1].split("?")[0])
    handed = client.post(f"/sagsbehandler/fravaer/{absence_id}/genplanlaeg")
    assert handed.status_code == 302
    after = client.get(handed.headers["Location"]).get_data(as_text=True)
    assert "1 samtale er aflyst og sendt til genplanlægning" in after
    assert "Der er ingen bookede samtaler i fraværet." in after
    with app.app_context(), db.fresh_session() as s:
        assert s.get(Booking, world.booking_id).state == BookingState.cancelled
    listing = client.get("/sagsbehandler/fravaer").get_data(as_text=True)
    assert "Syg" in listing
    bad = client.post("/sagsbehandler/fravaer", data={
        "first_day": day.isoformat(), "first_time": "12:00", "last_day": day.isoformat(),
        "last_time": "09:00"})
    assert bad.status_code == 422
    assert "Fraværet skal slutte efter, at det begynder." in bad.get_data(as_text=True)
    deleted = client.post(f"/sagsbehandler/fravaer/{absence_id}/slet")
    assert deleted.status_code == 302 and _count(app, Absence) == 0


def test_absences_imported_from_a_file(app, world, login):
    client = login(app, world.cw_user)
    sent = client.post("/sagsbehandler/fravaer/import",
                       data={"file": (io.BytesIO(_ics()), "fravaer.ics")},
                       content_type="multipart/form-data")
    assert sent.status_code == 302
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Importeret: 2 nye, 0 ændrede og 0 uændrede fravær." in page
    assert "1 booket samtale ligger i fraværet." in page
    bad = client.post("/sagsbehandler/fravaer/import",
                      data={"file": (io.BytesIO(b"nonsense"), "x.ics")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422
    assert "Filen kunne ikke læses som en iCalendar-fil (.ics)." in bad.get_data(as_text=True)
    assert _count(app, Absence) == 2
    other = login(app, world.other_user)
    assert other.get(f"/sagsbehandler/fravaer?caseworker={world.cw_id}").status_code == 403
