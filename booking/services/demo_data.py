"""Fixed inputs of the demo municipality: names, units and the weekly working-hour pattern."""

from __future__ import annotations

from datetime import time

FIRST_NAMES = (
    "Anne",
    "Mette",
    "Kirsten",
    "Hanne",
    "Helle",
    "Susanne",
    "Lene",
    "Maria",
    "Marianne",
    "Camilla",
    "Louise",
    "Sofie",
    "Ida",
    "Emma",
    "Freja",
    "Amalie",
    "Nadia",
    "Fatima",
    "Aisha",
    "Sara",
    "Peter",
    "Jens",
    "Lars",
    "Michael",
    "Henrik",
    "Thomas",
    "Søren",
    "Jan",
    "Niels",
    "Morten",
    "Rasmus",
    "Mads",
    "Jonas",
    "Frederik",
    "Mikkel",
    "Ali",
    "Omar",
    "Mohammed",
    "Kasper",
    "Emil",
)
LAST_NAMES = (
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Khan",
    "Yilmaz",
    "Ahmed",
)

# code, name, target groups served (with their share of the unit's citizens)
UNITS = (
    ("FL", "Center for Forsikrede Ledige", (("insured_unemployed", 1.0),)),
    ("KH", "Center for Kontanthjælp", (("cash_benefit", 0.7), ("education_benefit", 0.3))),
    (
        "RJ",
        "Center for Ressourceforløb og Jobafklaring",
        (("resource_programme", 0.5), ("job_clarification", 0.35), ("flexjob_benefit", 0.15)),
    ),
)

# share of all demo citizens per unit
UNIT_SHARE = {"FL": 0.45, "KH": 0.30, "RJ": 0.25}

# mean show probability per target group (Beta-distributed around it)
SHOW_MEAN = {
    "insured_unemployed": 0.92,
    "cash_benefit": 0.80,
    "education_benefit": 0.78,
    "resource_programme": 0.62,
    "job_clarification": 0.75,
    "flexjob_benefit": 0.85,
}

# age range at programme start per target group
AGE_RANGE = {
    "insured_unemployed": (22, 64),
    "cash_benefit": (30, 60),
    "education_benefit": (18, 29),
    "resource_programme": (25, 60),
    "job_clarification": (30, 62),
    "flexjob_benefit": (30, 64),
}

# weekly pattern: (weekday, start, end, slot minutes, channel); varied per caseworker
PATTERNS = (
    (
        (0, time(9, 0), time(12, 0), 45, "in_person"),
        (1, time(9, 0), time(11, 0), 30, "phone"),
        (2, time(12, 30), time(15, 0), 30, "video"),
        (3, time(9, 0), time(12, 0), 45, "in_person"),
        (4, time(9, 0), time(11, 0), 30, "phone"),
    ),
    (
        (0, time(12, 30), time(15, 0), 30, "phone"),
        (1, time(9, 0), time(12, 0), 45, "in_person"),
        (2, time(9, 0), time(11, 30), 30, "phone"),
        (3, time(12, 30), time(15, 0), 30, "video"),
        (4, time(9, 0), time(11, 15), 45, "in_person"),
    ),
)

PLACES = {
    "FL": "Jobcenter Demo, Vesterbrogade 10, 1620 København V",
    "KH": "Jobcenter Demo, Nørrebrogade 44, 2200 København N",
    "RJ": "Jobcenter Demo, Amagerbrogade 88, 2300 København S",
}

DEMO_PASSWORD = "rettidig-demo"
ROLE_LOGINS = (
    ("callin", "indkald", "Ida Indkald"),
    ("planner", "planlaegger", "Peter Planlægger"),
    ("manager", "leder", "Lene Leder"),
    ("admin", "admin", "Anders Admin"),
)
