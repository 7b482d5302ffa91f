"""Common random numbers: every random draw comes from its own stream, keyed by
(seed, purpose, entity, ...), never from a shared generator.

A policy therefore never changes what the world draws: citizen 17's third attempt at her second
conversation shows up or not on the same draw whichever policy booked it, and whenever it was
booked. Keys are hashed with BLAKE2b (stable across runs and Python versions; `hash()` is not).

The single draws (`uniform`, `randint`) are kept (per process, the most recent `KEPT` keys):
every policy of a seed asks for mostly the same ones, and a stream is its key, so a kept draw is
the draw.
"""

from __future__ import annotations

import hashlib
import math
import random
from functools import lru_cache

KEPT = 1 << 17  # single draws kept per process (a seed of a city-sized scenario asks ~60 000)


def stream(seed: int, *key: object) -> random.Random:
    text = "\x1f".join(str(k) for k in (seed, *key))
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


@lru_cache(maxsize=KEPT)
def uniform(seed: int, *key: object) -> float:
    """One uniform draw in [0, 1) for the key (the first draw of its stream)."""
    return stream(seed, *key).random()


@lru_cache(maxsize=KEPT)
def randint(seed: int, low: int, high: int, *key: object) -> int:
    """`stream(seed, *key).randint(low, high)`: one integer in [low, high] for the key."""
    return stream(seed, *key).randint(low, high)


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth for small means, normal approximation above 60 (inflow counts)."""
    if mean <= 0:
        return 0
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def pick(rng: random.Random, shares: dict[str, float]) -> str:
    """A key drawn with probability proportional to its share (keys in sorted order)."""
    names = sorted(shares)
    total = sum(shares[n] for n in names)
    x = rng.random() * total
    for name in names:
        x -= shares[name]
        if x < 0:
            return name
    return names[-1]
