"""A deterministic demo municipality: units, staff, citizens with histories, slots, meetings."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import rules
from ..database import transaction
from ..models import (
    Absence,
    Caseworker,
    Channel,
    Citizen,
    HeldConversation,
    Holder,
    ObligationState,
    Programme,
    Role,
    Slot,
    StaffUser,
    Unit,
    WorkTemplate,
)
from ..settings import Settings
from . import accounts, demo_data
from .attendance import estimate_show_probability
from .calendar_days import closed_days, local_datetime, next_working_day, week_monday
from .callin.demo import add_demo_session
from .demo_bookings import book_demo_citizens
from .demo_rehab import demo_rehab
from .errors import ServiceError
from .law.context import LawConfig, LawContext, law_context, rule_set_code_for
from .obligations import open_obligations, refresh_citizen
from .rulesets import sync_rule_sets
from .security import Passwords, cpr_digest
from .slots import publish_slots


class DemoError(ServiceError):
    """``not_empty``: the database already holds data."""


@dataclass
class DemoOptions:
    today: date
    seed: int = 2027
    citizens: int = 1500
    caseworkers_per_unit: int = 10
    weeks: int = 8
    rule_set: str = "auto"  # "auto": by due date; a set's id pins that set
    optional_closed: tuple[str, ...] = ()
    rehab_capacity: int = 5
    rehab_lead_days: int = 14
    booked_share: float = 0.35


@dataclass
class DemoResult:
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    # (id, name, link version) of a few citizens whose personal links the CLI prints
    showcase: list[tuple[int, str, int]] = field(default_factory=list)
    # (name, synthetic CPR number) of one showcase citizen, for trying "Find borger"
    lookup: tuple[str, str] | None = None
    counts: dict[str, int] = field(default_factory=dict)


def demo_today(today: date, optional_closed: tuple[str, ...] = ()) -> date:
    """The demo's planning day: ``today`` when the job centre is open, else the next working
    day (a demo started on a Sunday plans Monday's group call-in, not Sunday's)."""
    closed = closed_days(range(today.year, today.year + 2), optional_closed)
    return next_working_day(today, closed)


def build_demo(
    session: Session, passwords: Passwords, settings: Settings, opts: DemoOptions
) -> DemoResult:
    """Build the demo municipality in one transaction (refused when data exists)."""
    cpr_key = settings.security.cpr_hash_key
    with transaction(session):
        if session.scalar(select(func.count(Unit.id))):
            raise DemoError("not_empty")
        result = _build(session, passwords, settings, cpr_key, opts)
    return result


def _build(
    session: Session, passwords: Passwords, settings: Settings, cpr_key: str, opts: DemoOptions
) -> DemoResult:
    rng = random.Random(opts.seed)
    sync_rule_sets(session)
    result = DemoResult()
    units = _units(session)
    caseworkers = _staff(session, passwords, rng, units, opts, result)
    closed = closed_days(range(opts.today.year - 2, opts.today.year + 2), opts.optional_closed)
    citizens = _citizens(session, rng, units, caseworkers, cpr_key, opts)
    start = week_monday(opts.today)
    end = start + timedelta(weeks=opts.weeks)
    _absences(session, rng, caseworkers, start, opts.weeks)
    for cw in caseworkers:
        publish_slots(session, cw, start, end, optional_closed=opts.optional_closed)
    booked = book_demo_citizens(session, rng, citizens, opts.today, opts.booked_share)
    meetings, cases = demo_rehab(session, rng, citizens, closed, opts)
    session.flush()
    # a group call-in today (fælles indkald)
    invited = add_demo_session(
        session, opts.today, settings.callin, settings.app.municipality, settings.mail.sender
    )
    result.showcase = _showcase(session, citizens, opts.today)
    # one of the demo caseworker's (log-in "sagsbehandler") own citizens: found and shown
    own = [c for c in citizens if c.caseworker_id == caseworkers[0].id]
    if own:
        result.lookup = (own[0].name, _cpr(own[0].birth_date, citizens.index(own[0])))
    result.counts = {
        "units": len(units),
        "caseworkers": len(caseworkers),
        "citizens": len(citizens),
        "slots": session.scalar(select(func.count(Slot.id))) or 0,
        "bookings": booked,
        "rehab_meetings": meetings,
        "rehab_cases": cases,
        "group_call_in_invitations": invited,
    }
    return result


def _units(session: Session) -> dict[str, Unit]:
    units = {}
    for code, name, _groups in demo_data.UNITS:
        unit = Unit(code=code, name=name)
        session.add(unit)
        units[code] = unit
    session.flush()
    return units


def _staff(
    session: Session,
    passwords: Passwords,
    rng: random.Random,
    units: dict[str, Unit],
    opts: DemoOptions,
    result: DemoResult,
) -> list[Caseworker]:
    pw = demo_data.DEMO_PASSWORD
    hashed = passwords.hash(pw)  # one hash for all demo accounts keeps the demo fast
    caseworkers: list[Caseworker] = []
    number = 0
    for code, unit in units.items():
        for i in range(opts.caseworkers_per_unit):
            number += 1
            name = f"{rng.choice(demo_data.FIRST_NAMES)} {rng.choice(demo_data.LAST_NAMES)}"
            username = "sagsbehandler" if number == 1 else f"sb{number:02d}"
            user = StaffUser(
                username=username,
                full_name=name,
                password_hash=hashed,
                role=Role.caseworker,
                unit_id=unit.id,
            )
            session.add(user)
            session.flush()
            cw = Caseworker(
                staff_user_id=user.id,
                unit_id=unit.id,
                name=name,
                initials="".join(p[0] for p in name.split())[:3].upper() + str(number),
                phone=f"+45 70 10 {20 + number:02d} {i:02d}",
                max_per_day=rng.choice((5, 6, 7, 8)),
                calendar_token=accounts.new_calendar_token(),
            )
            pattern = demo_data.PATTERNS[number % len(demo_data.PATTERNS)]
            for weekday, t0, t1, minutes, channel in pattern:
                cw.templates.append(
                    WorkTemplate(
                        weekday=weekday,
                        start_time=t0,
                        end_time=t1,
                        slot_minutes=minutes,
                        channel=Channel(channel),
                        location=demo_data.PLACES[code] if channel == "in_person" else None,
                    )
                )
            session.add(cw)
            caseworkers.append(cw)
            if number == 1:
                result.logins.append(("caseworker", username, pw))
    for role, username, full_name in demo_data.ROLE_LOGINS:
        session.add(
            StaffUser(
                username=username,
                full_name=full_name,
                password_hash=hashed,
                role=Role(role),
            )
        )
        result.logins.append((role, username, pw))
    session.flush()
    return caseworkers


def _cpr(birth: date, serial: int) -> str:
    century = "4" if birth.year >= 2000 else str(serial % 4)
    return f"{birth:%d%m%y}{century}{serial % 1000:03d}"


def _citizens(
    session: Session,
    rng: random.Random,
    units: dict[str, Unit],
    caseworkers: list[Caseworker],
    cpr_key: str,
    opts: DemoOptions,
) -> list[Citizen]:
    by_unit: dict[int, list[Caseworker]] = {}
    for cw in caseworkers:
        by_unit.setdefault(cw.unit_id, []).append(cw)
    groups_of = {code: groups for code, _n, groups in demo_data.UNITS}
    unit_codes = list(demo_data.UNIT_SHARE)
    weights = [demo_data.UNIT_SHARE[c] for c in unit_codes]
    config = LawConfig(opts.rule_set, tuple(opts.optional_closed))
    context = law_context(session, config, around=opts.today)
    citizens = []
    for i in range(opts.citizens):
        code = rng.choices(unit_codes, weights)[0]
        group = rng.choices([g for g, _ in groups_of[code]], [w for _, w in groups_of[code]])[0]
        unit = units[code]
        lo, hi = demo_data.AGE_RANGE[group]
        start = _programme_start(rng, group, opts.today)
        closed_on = _closed_to_new(config, group, start, opts.today)
        if closed_on is not None:  # e.g. a resource programme: only those begun before 2026-07
            start = closed_on - timedelta(days=random.Random(f"{opts.seed}/{i}").randint(
                1, START_SPAN.get(group, 300)))
        birth = start - timedelta(days=rng.randint(lo * 365, hi * 365 + 364))
        number = _cpr(birth, i)
        first, last = rng.choice(demo_data.FIRST_NAMES), rng.choice(demo_data.LAST_NAMES)
        channels = rng.choices([None, ["in_person"], ["phone", "video"]], [0.7, 0.15, 0.15])[0]
        mean = demo_data.SHOW_MEAN[group]
        true_p = rng.betavariate(mean * 8, (1 - mean) * 8)
        citizen = Citizen(
            cpr_hash=cpr_digest(number, cpr_key),
            cpr_masked=f"{number[:6]}-xxxx",
            birth_date=birth,
            name=f"{first} {last}",
            phone=f"+45 {rng.randint(20, 61)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
            email=f"borger{i + 1}@example.org",
            unit_id=unit.id,
            caseworker_id=rng.choice(by_unit[unit.id]).id,
            channels=channels,
            attended_count=0,
            missed_count=0,
        )
        programme = Programme(target_group=group, start_date=start,
                              rule_set_code=rule_set_code_for(config, start, opts.today))
        citizen.programmes.append(programme)
        session.add(citizen)
        _history(rng, citizen, programme, true_p, opts, context)
        citizen.show_probability = round(
            estimate_show_probability(citizen.attended_count, citizen.missed_count, mean), 4
        )
        citizens.append(citizen)
    session.flush()
    for citizen in citizens:
        refresh_citizen(session, citizen, opts.today, law=context)
    return citizens


START_SPAN = {"resource_programme": 540, "job_clarification": 70, "flexjob_benefit": 400}


def _programme_start(rng: random.Random, group: str, today: date) -> date:
    return today - timedelta(days=rng.randint(0, START_SPAN.get(group, 300)))


def _closed_to_new(config: LawConfig, group: str, start: date, today: date) -> date | None:
    """The day the group closed to new programmes, when the rule set a programme started on
    ``start`` names serves only those begun before (None: open to it)."""
    requirements = rules.load_rule_set(rule_set_code_for(config, start, today)).group(
        group).requirements
    if not requirements or any(r.serves(start) for r in requirements):
        return None
    return min(r.started_before for r in requirements if r.started_before is not None)


def _history(
    rng: random.Random,
    citizen: Citizen,
    programme: Programme,
    true_p: float,
    opts: DemoOptions,
    context: LawContext,
) -> None:
    """Held conversations up to yesterday: the job centre's mostly on time, some late, a few
    still missing; then most of the unemployment fund's own."""
    held: list[rules.HeldConversation] = []
    yesterday = opts.today - timedelta(days=1)

    def computed() -> list[rules.Obligation]:
        return list(rules.obligations_in_force(
            programme.target_group, programme.start_date, held, until=yesterday,
            birth_date=citizen.birth_date, closed=context.closed,
            rule_set=context.rule_set_for(programme.rule_set_code),
        ))

    for _ in range(40):
        pending = [
            o
            for o in computed()
            if o.fulfilled_on is None
            and o.kind == "conversation"
            and o.holder == "jobcentre"
            and o.earliest <= yesterday
        ]
        if not pending:
            break
        ob = min(pending, key=lambda o: (o.deadline, o.sequence))
        last = min(ob.deadline, yesterday)
        if rng.random() < 0.85 and ob.earliest <= last:
            day = ob.earliest + timedelta(days=rng.randint(0, (last - ob.earliest).days))
        else:
            day = ob.deadline + timedelta(days=rng.randint(1, 25))
            if day > yesterday:
                break  # still missing: the citizen is overdue today
        while rng.random() > true_p and citizen.missed_count < 20:
            citizen.missed_count += 1
        channel = "in_person" if not held else rng.choice(ob.channels or ("in_person",))
        held.append(rules.HeldConversation(date=day, joint=ob.joint, channel=channel))
        citizen.conversations.append(
            HeldConversation(held_on=day, joint=ob.joint, channel=Channel(channel))
        )
        citizen.attended_count += 1
    for ob in computed():
        if ob.holder != "unemployment_fund" or ob.fulfilled_on is not None:
            continue
        last = min(ob.deadline, yesterday)
        if ob.kind != "conversation" or ob.earliest > last or rng.random() >= 0.9:
            continue
        day = ob.earliest + timedelta(days=rng.randint(0, (last - ob.earliest).days))
        citizen.conversations.append(HeldConversation(
            held_on=day, channel=Channel.in_person, holder=Holder.unemployment_fund
        ))


def _absences(
    session: Session, rng: random.Random, caseworkers: list[Caseworker], start: date, weeks: int
) -> None:
    for cw in caseworkers:
        if rng.random() < 0.15:
            week = rng.randint(1, max(1, weeks - 1))
            first = start + timedelta(weeks=week)
            session.add(
                Absence(
                    caseworker_id=cw.id,
                    starts_at=local_datetime(first, time(0, 0)),
                    ends_at=local_datetime(first + timedelta(days=5), time(0, 0)),
                    reason="Ferie",
                )
            )
    session.flush()


def _showcase(
    session: Session, citizens: list[Citizen], today: date
) -> list[tuple[int, str, int]]:
    """A few citizens who can book their next conversation themselves, for the printed links:
    its obligation is open, its window has opened (or opens within two weeks) and it is due
    no sooner than in ten days; those due within 40 days first, as a letter would find them."""
    soon: list[tuple[int, str, int]] = []
    later: list[tuple[int, str, int]] = []
    for citizen in citizens:
        ahead = [ob for ob in open_obligations(session, citizen.id) if ob.deadline >= today]
        if not ahead or ahead[0].state != ObligationState.open:
            continue
        first = ahead[0]
        if first.earliest > today + timedelta(days=14) or first.deadline < today + timedelta(
                days=10):
            continue
        entry = (citizen.id, citizen.name, citizen.link_version)
        (soon if first.deadline <= today + timedelta(days=40) else later).append(entry)
        if len(soon) == 3:
            break
    return (soon + later)[:3]
