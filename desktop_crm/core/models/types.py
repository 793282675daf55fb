"""Column types shared by the models."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


def to_money(value: object) -> Decimal:
    """Exact decimal rounded half-up to cents."""
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, float):
        d = Decimal(repr(value))
    else:
        d = Decimal(str(value))
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


class Money(TypeDecorator):
    """Money as exact decimals: stored as integer cents, read back as Decimal.

    Integer cents keep SUM() exact on SQLite (which has no decimal type) and on
    PostgreSQL alike.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return int(to_money(value) * 100)

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


def cents_to_money(value: int | None) -> Decimal:
    """For SQL aggregates over a Money column (SUM returns cents)."""
    return (Decimal(int(value or 0)) / 100).quantize(CENT)
