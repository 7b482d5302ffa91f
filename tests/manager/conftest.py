"""The manager page's tests: the export tests' world (two units, citizens overdue, due soon
and timely, a user of each role, dated from the real clock) and the law tests' session on
SQLite and PostgreSQL (``dbs``) for the view-model at a fixed date."""

from tests.exports.conftest import world  # noqa: F401 - a fixture
from tests.law.conftest import auto, dbs  # noqa: F401 - fixtures
