"""The Monte-Carlo simulation of booking policies (`python -m solver.simulate SCENARIO`).

The second part of the package: it uses the allocation (`solver.api`, `solver.check`) to re-plan
and to judge plans, and the rules engine (`booking.rules`, pure) for the obligations; the
allocation never imports it. Layout, in the order a run uses it:

* `schema`, `scenario`, `types` — the scenario file (TOML): its pydantic models, its loading
  and the relations between its tables, and the immutable values it becomes;
* `draws` — common random numbers: every draw from its own keyed stream;
* `world`, `timetable`, `population` — the job centre's seats, meetings and citizens;
* `run` — one run (`World`), day by day, put together from `bookings`, `programmes`,
  `attendance` and `measure` over the shared `state`;
* `policies` — the policies compared (`policy`, `practice`, `solver_policy`), with the solver
  policy's own moves `plan`, `overbook` and `pool`;
* `report` — figures across seeds and the plot (`solver.chart`); `cli` — the command.
"""
