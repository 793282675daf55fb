"""Largest-remainder rounding: round exact parts so that the rounded parts sum to an exact total."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction


def apportion(parts: Sequence[Fraction | Decimal | int], quantum: Decimal) -> list[Decimal]:
    """Round each part to a multiple of `quantum` so the results sum exactly to the (rounded-to-quantum) total.

    Method (Hamilton / largest remainder): every part is first rounded down to a
    multiple of `quantum`; the units still missing to reach the total are handed
    out one each to the parts with the largest remainders, ties going to the
    earlier part. Each result is within one `quantum` of its exact value, and
    parts that are already exact multiples of `quantum` are never changed. The
    total itself must be an exact multiple of `quantum` (callers pass parts of a
    whole such as 1, 100 or an amount in cents); otherwise ValueError.
    """
    q = Fraction(quantum)
    if q <= 0:
        raise ValueError("quantum must be positive")
    scaled = [Fraction(p) / q for p in parts]
    total = sum(scaled, Fraction(0))
    if total.denominator != 1:
        raise ValueError("the parts must sum to a multiple of the quantum")
    floors = [math.floor(s) for s in scaled]
    missing = int(total) - sum(floors)
    order = sorted(range(len(scaled)), key=lambda i: (-(scaled[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [(Decimal(f) * quantum).quantize(quantum) for f in floors]
