"""Every audit action the code writes has a readable label on the admin's audit trail (issue
14, item 5): the codes are found in the source, so a new action without a label fails here."""

from __future__ import annotations

import re
from pathlib import Path

from booking.blueprints.admin.messages import ACTIONS
from booking.services.imports import KINDS
from booking.services.rehab import status

ROOT = Path(__file__).resolve().parents[2] / "booking"
# action="code", *_ACTION = "code", record_seen(…, "code", …), _audit(session, who, "code", …)
PATTERNS = (
    re.compile(r'\baction=\s*"([a-z_.]+)"'),
    re.compile(r'\baction=\s*"([a-z_.]+)"\s+if\b[^\n]*?\belse\s+"([a-z_.]+)"'),
    re.compile(r'^\s*[A-Z_]*ACTION[A-Z_]*\s*=\s*"([a-z_.]+)"', re.M),
    re.compile(r'\brecord_seen\(\s*[^,()]+,\s*[^,()]+,\s*"([a-z_.]+)"'),
    re.compile(r'\b_audit\(\s*session,\s*[^,()]+,\s*"([a-z_.]+)"'),
)


def _codes() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            for match in pattern.finditer(text):
                found.update(g for g in match.groups() if g)
    found.update(f"import.{kind}" for kind in KINDS)  # action=f"import.{kind}"
    # the re-plan's states and the capacity changes that make a plan out of date
    found.update((status.REQUESTED, status.STARTED, status.DONE, status.FAILED))
    found.update(status.CAPACITY_ACTIONS)
    return found


def test_the_scan_finds_the_known_actions():
    codes = _codes()
    assert {"login", "booking_created", "caseworker_calendar_view", "api_citizen_read",
            "citizen_lookup_miss", "import.history"} <= codes
    assert len(codes) > 60


def test_every_audit_action_has_a_label():
    missing = sorted(_codes() - set(ACTIONS))
    assert missing == [], f"audit actions without a label in admin/messages.py: {missing}"
