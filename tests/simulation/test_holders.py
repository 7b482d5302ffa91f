"""Conversations the unemployment fund (a-kasse) holds are outside the job centre's calendar:
the simulation never books them and does not judge the job centre on them."""

from __future__ import annotations

import datetime as dt

from booking.rules import HeldConversation, load_rule_set
from solver.simulation.population import next_obligation, obligations
from solver.simulation.world import CitizenSpec


def test_an_insured_citizen_needs_only_the_job_centres_conversations():
    rule_set = load_rule_set("lab-2024")
    start = dt.date(2024, 3, 4)
    spec = CitizenSpec("i", "insured_unemployed", "u", "u-1", start, None, 0.8,
                       dt.date(1980, 5, 5), "never")
    until = start + dt.timedelta(days=200)
    owed = obligations(rule_set, spec, [], until)
    fund = [ob for ob in owed if ob.holder == "unemployment_fund"]
    assert fund and not any(ob.bookable for ob in fund)  # shown, never booked by the centre
    held: list[HeldConversation] = []
    day = start
    for _ in range(6):  # hold each next need on its deadline: it is always the job centre's
        ob = next_obligation(rule_set, spec, held, day)
        if ob is None:
            break
        assert ob.holder == "jobcentre"
        held.append(HeldConversation(ob.deadline, joint=ob.joint))
        day = ob.deadline + dt.timedelta(days=1)
    assert len(held) >= 3
    after = obligations(rule_set, spec, held, day)
    assert all(ob.fulfilled_on is not None for ob in after
               if ob.holder == "jobcentre" and ob.bookable and ob.mandatory
               and ob.deadline < day)
