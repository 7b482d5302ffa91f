"""The test suite runs in demo mode: ``RETTIDIG_MODE=demo`` for this process and every process a
test starts (flask, gunicorn, huey), so the repository's demo secrets are accepted. Tests of
production behaviour pass ``{"app": {"mode": "production"}}`` or set the variable themselves.
(At the project root so that it is loaded before any test module, whichever path pytest is
given.)"""

import os

os.environ.setdefault("RETTIDIG_MODE", "demo")
