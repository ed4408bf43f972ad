"""The planning calculator: dumping margin from normal value and export price, and duty exposure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from worker.rules.money import HUNDRED, ZERO, percent_of, to_cent

DE_MINIMIS_INVESTIGATION = Decimal("2")  # percent; section 733(b)(3) of the Tariff Act


@dataclass(frozen=True)
class DumpingEstimate:
    """A planning estimate: margin in percent of export price, AD duty and total exposure."""

    normal_value: Decimal
    export_price: Decimal
    dumping_amount: Decimal  # per unit: normal value - export price
    margin_percent: Decimal  # (NV - EP) / EP x 100, may be negative
    entered_value: Decimal | None
    estimated_duty: Decimal | None  # entered value x margin; zero when the margin is <= 0
    other_duties: Decimal | None
    total_exposure: Decimal | None  # estimated duty + other duties
    notes: tuple[str, ...]


def compute_dumping(
    *,
    normal_value: Decimal,
    export_price: Decimal,
    entered_value: Decimal | None = None,
    other_duties: Decimal | None = None,
) -> DumpingEstimate:
    """Margin = (normal value - export price) / export price; duty = entered value x margin.

    The simplified planning model of Tariff Act section 731 (19 U.S.C. 1673): margins <= 0 give
    no AD duty; in investigations a margin below 2% is de minimis (section 733(b)(3)).
    """
    if export_price <= 0:
        raise ValueError("the export price must be greater than zero")
    if normal_value < 0:
        raise ValueError("the normal value cannot be negative")
    for label, value in (("entered value", entered_value), ("other duties", other_duties)):
        if value is not None and value < 0:
            raise ValueError(f"the {label} cannot be negative")
    amount = normal_value - export_price
    margin = to_cent(amount / export_price * HUNDRED)  # percent, to two places as money is
    notes: list[str] = []
    if margin <= 0:
        notes.append("no dumping margin: normal value does not exceed export price, no AD duty")
    elif margin < DE_MINIMIS_INVESTIGATION:
        notes.append(
            "margin below 2%: de minimis in investigations (section 733(b)(3)); "
            "in reviews the de minimis threshold is 0.5% (19 CFR 351.106(c))"
        )
    duty: Decimal | None = None
    total: Decimal | None = None
    if entered_value is not None:
        exact = amount / export_price
        duty = to_cent(entered_value * exact) if amount > 0 else ZERO
        total = to_cent(duty + (other_duties or Decimal("0")))
    elif other_duties is not None:
        notes.append("no entered value: only the margin is estimated")
    return DumpingEstimate(
        normal_value=normal_value,
        export_price=export_price,
        dumping_amount=amount,
        margin_percent=margin,
        entered_value=entered_value,
        estimated_duty=duty,
        other_duties=other_duties,
        total_exposure=total,
        notes=tuple(notes),
    )


def annual_exposure(value: Decimal | None, rate: Decimal | None) -> Decimal | None:
    """Annual entered value x a deposit rate in percent ad valorem; None when either is unknown."""
    if value is None or rate is None:
        return None
    return percent_of(value, rate)
