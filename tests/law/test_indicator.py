"""The manager's indicator per unit and target group: held on time against the targets and
the law's 75 %, exempted obligations not due, the exemption share with its warning."""

from __future__ import annotations

from datetime import date

import pytest

from booking.models import Role
from booking.services.law.exemptions import exempt
from booking.services.law.programmes import LawError
from booking.services.timeliness import manager_page
from tests import factories
from tests.law.helpers import citizen, obligation

TODAY = date(2027, 3, 15)  # a Monday: the last 4 weeks are 15 Feb - 14 Mar
START = date(2026, 9, 7)  # cash benefit: 3 more conversations by 7 March 2027 (75 % rule)
ON_TIME = [date(2026, 9, 10), date(2026, 10, 1), date(2026, 12, 1), date(2027, 2, 1)]


def test_indicator_shares_per_unit_and_group(dbs, settings, auto):
    staff_id = factories.staff(dbs, Role.manager).id
    north, south = factories.unit(dbs), factories.unit(dbs)
    for _ in range(3):
        citizen(dbs, north, "cash_benefit", START, held=ON_TIME, law=auto, today=TODAY)
    missed = citizen(dbs, north, "cash_benefit", START, law=auto, today=TODAY)
    exempted = citizen(dbs, north, "cash_benefit", START, held=ON_TIME[:1], law=auto,
                       today=TODAY)
    on_time = citizen(dbs, north, "cash_benefit", START, held=ON_TIME, law=auto, today=TODAY)
    late = [citizen(dbs, south, "cash_benefit", START, held=[date(2027, 3, 10)], law=auto,
                    today=TODAY) for _ in range(4)]
    dbs.commit()
    exempt(dbs, obligation(dbs, exempted.id, "more_in_six_months:1:1").id, "Job",
           staff_id=staff_id, today=TODAY, warn_at=0.20)
    exempt(dbs, obligation(dbs, late[0].id, "more_in_six_months:1:1").id, "Job",
           staff_id=staff_id, today=TODAY, warn_at=0.20)
    with pytest.raises(LawError) as err:  # the first conversation is owed to everyone
        exempt(dbs, obligation(dbs, missed.id, "first_conversation").id, "Job",
               staff_id=staff_id, today=TODAY, warn_at=0.20)
    assert err.value.code == "not_under_share_rule"
    with pytest.raises(LawError) as err:  # a met obligation cannot be exempted
        exempt(dbs, obligation(dbs, on_time.id, "more_in_six_months:1:1").id, "Job",
               staff_id=staff_id, today=TODAY, warn_at=0.20)
    assert err.value.code == "already_fulfilled"

    page = manager_page(
        dbs, settings.targets, TODAY, weeks=4, by="unit", exemption_warn_share=0.20
    )
    rows = {(g.unit_id, g.group): g for g in page.groups}
    n = rows[(north.id, "cash_benefit")]
    # 4 × 3 on time, 3 missed, the exempted citizen's 2 others (the waived one is not due)
    assert (n.due, n.on_time) == (17, 12) and (n.law_due, n.law_on_time) == (17, 12)
    assert n.min_share == 0.75 and n.law_met is False and round(n.law_share, 3) == 0.706
    assert (n.exemptions.exempted, n.exemptions.citizens) == (1, 6)
    assert not n.exemption_warning and not n.exemption_over and n.max_exemption_share == 0.25
    s_row = rows[(south.id, "cash_benefit")]
    assert (s_row.due, s_row.on_time) == (11, 0)  # held once, after the deadline
    assert s_row.exemptions.share == 0.25 and s_row.exemption_warning
    assert not s_row.exemption_over
    # the weekly columns use the same measure (statutory deadline, exempted not due)
    total = page.total[north.id]
    assert (total.due, total.on_time) == (17, 12)
