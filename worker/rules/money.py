"""Money in USD as Decimal: ROUND_HALF_UP to the cent, the rounding every assessed figure states."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0.00")
ROUNDING_RULE = (
    "amounts in USD rounded half up to the cent at each entry's figures; "
    "totals are sums of the rounded figures"
)


def to_cent(value: Decimal) -> Decimal:
    """A USD amount rounded half up to the cent (0.005 -> 0.01, -0.005 -> -0.01)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(value: Decimal, rate_pct: Decimal) -> Decimal:
    """value x rate_pct / 100, rounded half up to the cent."""
    return to_cent(value * rate_pct / HUNDRED)
