"""The short summary an alert opens with: each product's total deposit and exposure, and the sum."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any


def as_decimal(value: Any) -> Decimal | None:
    """A view value (Decimal, number or its text) as a Decimal; None when empty or not a number."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def product_summary(product: Mapping[str, Any]) -> dict[str, Any]:
    """One product's highest total deposit (AD + CVD stacked where both apply) and its annual exposure.

    Exposure is the sum over the product's case families; None when any family's is unknown.
    """
    stacks = list(product.get("stacks") or ())
    rates = [(as_decimal(s.get("total_rate")), s) for s in stacks]
    known = [(rate, s) for rate, s in rates if rate is not None]
    top = max(known, key=lambda pair: pair[0], default=None)
    exposures = [as_decimal(s.get("exposure")) for s in stacks]
    known_all = bool(exposures) and all(e is not None for e in exposures)
    exposure = sum((e for e in exposures if e is not None), Decimal(0)) if known_all else None
    return {
        "sku": product.get("sku", ""),
        "rate": str(top[0]) if top else None,
        "stacked": bool(top and top[1].get("both")),
        "complete": bool(top and top[1].get("complete", True)),
        "exposure": str(exposure) if exposure is not None else None,
    }


def alert_summary(products: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Per-product summaries, the highest rate, and the total exposure (None when any is unknown)."""
    items = [product_summary(p) for p in products]
    rates = [Decimal(i["rate"]) for i in items if i["rate"] is not None]
    exposures = [i["exposure"] for i in items]
    total = sum((Decimal(e) for e in exposures if e is not None), Decimal(0))
    return {
        "products": items,
        "top_rate": str(max(rates)) if rates else None,
        "exposure": str(total) if items and all(e is not None for e in exposures) else None,
        "known_exposure": str(total),
        "unknown_exposure": sum(1 for e in exposures if e is None),
    }
