"""A citizen's show probability estimated from the attendance a job centre has observed.

One estimator serves the app (`booking.services.attendance` re-exports it for the call-in desk
and the demo) and every policy of the simulation (`solver.simulation.attendance`), so what the
simulation reports is what the app's estimate can do.
"""

from __future__ import annotations

PRIOR_STRENGTH = 4.0


def estimate_show_probability(
    attended: int, missed: int, prior_mean: float, prior_strength: float = PRIOR_STRENGTH
) -> float:
    """Posterior mean of a Beta(prior_mean·k, (1−prior_mean)·k) prior after the history.

    With no history the prior mean is returned; each registered attendance or no-show moves
    the estimate, by less as the history grows.
    """
    if attended < 0 or missed < 0:
        raise ValueError("counts must be non-negative")
    if not 0.0 <= prior_mean <= 1.0:
        raise ValueError("prior_mean must lie in [0, 1]")
    if prior_strength <= 0.0:
        raise ValueError("prior_strength must be positive")
    alpha = prior_mean * prior_strength + attended
    beta = (1.0 - prior_mean) * prior_strength + missed
    return alpha / (alpha + beta)
