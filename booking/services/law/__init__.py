"""The law in force, app side: which rule set decides, which days are closed, programmes and
their pauses, exemptions under the 75 % rule, the indicator against the law's shares, what
changes on a date, recomputing stored obligations and the rule calculator.

The rules engine (:mod:`booking.rules`) is pure; these services feed it the live data (held
conversations, pauses, programme ends, closed days) and store or show what it computes.
"""
