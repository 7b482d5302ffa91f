"""Capacity what-ifs for conversations: the live state as a simulation scenario, changed by the
planner, simulated in the background, compared (issue 15, item 3)."""
